import * as semconv from '../semconv';
import { ANTHROPIC } from './vendors';
import type {
  AccumulatorOptions,
  LlmRequest,
  ParsedRequest,
  ParsedResponse,
  ProviderAdapter,
  ProviderError,
  ResponseAccumulator,
  StreamEvent,
  Usage,
} from './adapter';
import { isServerToolResult, serverToolCallPart, serverToolResultPart, toAnthropicInputMessages, toAnthropicSystemParts } from './anthropic-content';
import { lazyContent } from '../content/lazy-content';
import { inputForEstimateOf } from './input-estimate';
import { anthropicToolDefinitions } from './tool-definitions';
import { asArray, asNumber, asObject, asString, type JsonObject } from './json-access';
import { attachOutput, OutputParts, outputBudget } from './output-parts';
import { samplingAttributes } from './request-attributes';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** Anthropic Messages (`/v1/messages`, also `?beta=true`), streamed (SSE) or not. */
export const anthropicMessagesAdapter: ProviderAdapter = {
  protocol: 'anthropic.messages',
  nonDeterminingFields: NON_DETERMINING_FIELDS.anthropicMessages,
  vendor: ANTHROPIC,
  matchesPath: (url) => url.pathname.endsWith('/v1/messages'),
  // `max_tokens` is required by Anthropic and tells this body from an OpenAI-style one.
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && Array.isArray(object.messages) && typeof object.max_tokens === 'number';
  },
  parseRequest,
  createAccumulator: (_request, options) => new MessagesAccumulator(options),
  // message_start (id, model, input usage), message_delta (stop reason, cumulative output usage),
  // error events and the start of a tool_use block (the span counts tool calls) matter; other
  // content_block_* events carry only text and tool input.
  eventCarriesSummary: (data, _index, name) =>
    name === undefined || (name === 'content_block_start' ? data.includes('"tool_use"') : !(name.startsWith('content_block_') || name === 'ping')),
  parseError: parseAnthropicError,
  salvage: { leadingStrings: ['id', 'model', 'type'], trailingObjects: ['usage'], trailingStrings: ['stop_reason'] },
};

const NUMERIC_PARAMETERS = [
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'max_tokens'],
  [semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_P, 'top_p'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_K, 'top_k'],
] as const;

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const attributes = samplingAttributes(body, NUMERIC_PARAMETERS, body.stop_sequences);
  const stream = body.stream === true;
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  const content = lazyContent(() => ({
    inputMessages: toAnthropicInputMessages(asArray(body.messages) ?? []),
    systemInstructions: toAnthropicSystemParts(body.system),
    toolDefinitions: anthropicToolDefinitions(body),
  }));
  return {
    operation: 'chat',
    model: asString(body.model),
    stream,
    attributes,
    serviceTier: asString(body.service_tier),
    // message_start and message_delta always carry usage.
    streamReportsUsage: true,
    content,
    inputTextsForEstimate: () => inputForEstimateOf(content(), asString(body.model)),
  };
}

/** `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`. */
export function parseAnthropicError(body: unknown): ProviderError {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 1024) } : {};
  const error = asObject(asObject(body)?.error);
  return error ? { type: asString(error.type), message: asString(error.message) } : {};
}

/** The usage fields as Anthropic reports them: input_tokens excludes cache reads and writes. */
interface AnthropicUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheCreation?: number;
  /** `output_tokens_details.thinking_tokens`: part of `output_tokens`. */
  thinking?: number;
  /** `cache_creation.ephemeral_1h_input_tokens`: part of `cache_creation_input_tokens`, priced higher. */
  cacheWrite1h?: number;
}

class MessagesAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private stopReason?: string;
  private serviceTier?: string;
  private error?: ProviderError;
  private readonly usage: AnthropicUsage = {};
  private readonly parts: OutputParts;

  constructor(private readonly options: AccumulatorOptions) {
    this.parts = new OutputParts(outputBudget(options));
  }

  onEvent(event: StreamEvent): void {
    const data = asObject(event.data);
    if (!data) return;
    switch (data.type) {
      case 'message_start': {
        const message = asObject(data.message);
        if (message) this.readMessage(message);
        return;
      }
      case 'content_block_start': {
        const block = asObject(data.content_block);
        if (block) this.startBlock(block, asNumber(data.index) ?? 0);
        return;
      }
      case 'content_block_delta':
        this.readDelta(asObject(data.delta), asNumber(data.index) ?? 0);
        return;
      case 'message_delta':
        // Every count in message_delta is cumulative: it replaces what message_start said.
        this.stopReason = asString(asObject(data.delta)?.stop_reason) ?? this.stopReason;
        this.readUsage(asObject(data.usage));
        return;
      case 'error':
        this.error = parseAnthropicError(data);
        return;
      default:
        return;
    }
  }

  onBody(body: unknown): void {
    const message = asObject(body);
    if (!message) return;
    if (message.type === 'error') {
      this.error = parseAnthropicError(message);
      return;
    }
    this.readMessage(message);
    const blocks = asArray(message.content) ?? [];
    for (let index = 0; index < blocks.length; index++) {
      const block = asObject(blocks[index]);
      if (block) this.startBlock(block, index);
    }
  }

  finish(): ParsedResponse {
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      finishReasons: this.stopReason ? [this.stopReason] : undefined,
      usage: toSemconvUsage(this.usage),
      serviceTier: this.serviceTier,
    };
    if (this.error) response.error = this.error;
    return attachOutput(response, this.options, [{ parts: this.parts, finishReason: this.stopReason }]);
  }

  private readMessage(message: JsonObject): void {
    this.id ??= asString(message.id);
    this.model ??= asString(message.model);
    this.stopReason = asString(message.stop_reason) ?? this.stopReason;
    this.readUsage(asObject(message.usage));
  }

  private readUsage(usage: JsonObject | undefined): void {
    if (!usage) return;
    this.usage.input = asNumber(usage.input_tokens) ?? this.usage.input;
    this.usage.output = asNumber(usage.output_tokens) ?? this.usage.output;
    this.usage.cacheRead = asNumber(usage.cache_read_input_tokens) ?? this.usage.cacheRead;
    this.usage.cacheCreation = asNumber(usage.cache_creation_input_tokens) ?? this.usage.cacheCreation;
    this.usage.thinking = asNumber(asObject(usage.output_tokens_details)?.thinking_tokens) ?? this.usage.thinking;
    this.usage.cacheWrite1h = asNumber(asObject(usage.cache_creation)?.ephemeral_1h_input_tokens) ?? this.usage.cacheWrite1h;
    this.serviceTier = asString(usage.service_tier) ?? this.serviceTier;
  }

  /** A content block: whole in a response body, or the opening of a streamed one. */
  private startBlock(block: JsonObject, index: number): void {
    switch (block.type) {
      case 'text':
        this.parts.appendText('text', asString(block.text), index);
        return;
      case 'thinking':
        this.parts.appendText('reasoning', asString(block.thinking), index);
        return;
      case 'tool_use': {
        // A streamed block opens with `input: {}` and sends the arguments as JSON deltas.
        const input = asObject(block.input);
        const args = input && Object.keys(input).length > 0 ? JSON.stringify(input) : '';
        this.parts.startToolCall(asString(block.id), asString(block.name) ?? '', args, index);
        return;
      }
      case 'server_tool_use':
        // Run by Anthropic, not the application: semconv's server_tool_call (its query is content).
        this.parts.addOther(serverToolCallPart(asString(block.id), asString(block.name) ?? '', this.options.captureContent ? block.input : undefined));
        return;
      default: {
        const type = asString(block.type) ?? 'unknown';
        this.parts.addOther(isServerToolResult(type) ? serverToolResultPart(type, asString(block.tool_use_id)) : { type });
      }
    }
  }

  private readDelta(delta: JsonObject | undefined, index: number): void {
    switch (delta?.type) {
      case 'text_delta':
        this.parts.appendText('text', asString(delta.text), index);
        return;
      case 'thinking_delta':
        this.parts.appendText('reasoning', asString(delta.thinking), index);
        return;
      case 'input_json_delta':
        this.parts.appendToolArguments(index, asString(delta.partial_json));
        return;
      default:
        return;
    }
  }
}

/** Semconv input tokens include cache reads and cache writes, which Anthropic counts apart. */
function toSemconvUsage(usage: AnthropicUsage): Usage | undefined {
  if (usage.input === undefined && usage.output === undefined) return undefined;
  const input = usage.input === undefined ? undefined : usage.input + (usage.cacheRead ?? 0) + (usage.cacheCreation ?? 0);
  return {
    inputTokens: input,
    outputTokens: usage.output,
    cacheReadInputTokens: usage.cacheRead,
    cacheCreationInputTokens: usage.cacheCreation,
    reasoningOutputTokens: usage.thinking,
    // Reported as 0 on every call that writes no 1-hour cache: only a non-zero count changes the price.
    cacheWrite1hInputTokens: usage.cacheWrite1h || undefined,
  };
}
