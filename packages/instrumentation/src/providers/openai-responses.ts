import * as semconv from '../semconv';
import { OPENAI_COMPATIBLE } from './vendors';
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
import { lazyContent } from '../content/lazy-content';
import { inputForEstimateOf } from './input-estimate';
import { responsesToolDefinitions } from './tool-definitions';
import { asArray, asNumber, asObject, asString, type JsonObject } from './json-access';
import { outputTypeOf } from './openai-chat';
import { openAiResponseAttributes } from './openai-attributes';
import { parseOpenAiError } from './openai-error';
import { summaryTexts, toResponsesInputMessages } from './openai-responses-content';
import { attachOutput, OutputParts, outputBudget } from './output-parts';
import { samplingAttributes } from './request-attributes';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** OpenAI Responses (`/v1/responses`, Azure `/openai/v1/responses`), JSON or SSE `response.*` events. */
export const openAiResponsesAdapter: ProviderAdapter = {
  protocol: 'openai.responses',
  nonDeterminingFields: NON_DETERMINING_FIELDS.openaiResponses,
  vendor: OPENAI_COMPATIBLE,
  matchesPath: (url) => url.pathname.endsWith('/responses'),
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && (typeof object.input === 'string' || Array.isArray(object.input) || typeof object.previous_response_id === 'string');
  },
  parseRequest,
  createAccumulator: (_request, options) => new ResponsesAccumulator(options),
  parseError: parseOpenAiError,
  salvage: { leadingStrings: ['id', 'model', 'object'], trailingObjects: ['usage'], trailingStrings: ['status'] },
};

const NUMERIC_PARAMETERS = [
  [semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_P, 'top_p'],
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'max_output_tokens'],
] as const;

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const attributes = samplingAttributes(body, NUMERIC_PARAMETERS, undefined);
  const outputType = outputTypeOf(asObject(body.text)?.format);
  if (outputType) attributes[semconv.ATTR_GEN_AI_OUTPUT_TYPE] = outputType;
  // A stored conversation is the provider's own conversation id.
  const conversation = asString(body.conversation) ?? asString(asObject(body.conversation)?.id);
  if (conversation) attributes[semconv.ATTR_GEN_AI_CONVERSATION_ID] = conversation;
  const stream = body.stream === true;
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  attributes[semconv.ATTR_OPENAI_API_TYPE] = 'responses';
  const instructions = asString(body.instructions);
  const content = lazyContent(() => ({
    systemInstructions: instructions ? [{ type: 'text' as const, content: instructions }] : undefined,
    inputMessages: toResponsesInputMessages(body.input),
    toolDefinitions: responsesToolDefinitions(body),
  }));
  return {
    operation: 'chat',
    model: asString(body.model),
    stream,
    attributes,
    serviceTier: asString(body.service_tier),
    // response.completed always carries usage.
    streamReportsUsage: true,
    content,
    inputTextsForEstimate: () => inputForEstimateOf(content(), asString(body.model)),
  };
}

/** Responses usage: input includes cached tokens and output includes reasoning, as in semconv. */
function responsesUsage(value: unknown): Usage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  return {
    inputTokens: asNumber(usage.input_tokens),
    outputTokens: asNumber(usage.output_tokens),
    cacheReadInputTokens: asNumber(asObject(usage.input_tokens_details)?.cached_tokens),
    reasoningOutputTokens: asNumber(asObject(usage.output_tokens_details)?.reasoning_tokens),
  };
}

const TOOL_CALL_ITEMS = new Set(['function_call', 'custom_tool_call']);

class ResponsesAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private serviceTier?: string;
  private usage?: Usage;
  private status?: string;
  private incompleteReason?: string;
  private error?: ProviderError;
  private calledTool = false;
  private readonly parts: OutputParts;

  constructor(private readonly options: AccumulatorOptions) {
    this.parts = new OutputParts(outputBudget(options));
  }

  onEvent(event: StreamEvent): void {
    const data = asObject(event.data);
    if (!data) return;
    const type = asString(data.type) ?? event.name;
    const outputIndex = asNumber(data.output_index) ?? 0;
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        // The final events repeat the whole output; the deltas already gave it to us.
        const response = asObject(data.response);
        if (response) this.readResponse(response);
        return;
      }
      case 'response.output_item.added': {
        const item = asObject(data.item);
        if (item) this.startItem(item, outputIndex, true);
        return;
      }
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.parts.appendText('text', asString(data.delta), `${outputIndex}:${asNumber(data.content_index) ?? 0}`);
        return;
      case 'response.reasoning_summary_text.delta':
        this.parts.appendText('reasoning', asString(data.delta), `${outputIndex}:summary:${asNumber(data.summary_index) ?? 0}`);
        return;
      case 'response.reasoning_text.delta':
        this.parts.appendText('reasoning', asString(data.delta), `${outputIndex}:reasoning:${asNumber(data.content_index) ?? 0}`);
        return;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
        this.parts.appendToolArguments(outputIndex, asString(data.delta));
        return;
      case 'error':
        this.error = asObject(data.error) ? parseOpenAiError(data) : { type: asString(data.code), message: asString(data.message) };
        return;
      default:
        return;
    }
  }

  onBody(body: unknown): void {
    const response = asObject(body);
    if (!response) return;
    this.readResponse(response);
    const output = asArray(response.output) ?? [];
    for (let index = 0; index < output.length; index++) {
      const item = asObject(output[index]);
      if (item) this.startItem(item, index, false);
    }
  }

  finish(): ParsedResponse {
    const finishReason = this.finishReason();
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      serviceTier: this.serviceTier,
      usage: this.usage,
      finishReasons: finishReason ? [finishReason] : undefined,
      attributes: openAiResponseAttributes(this.serviceTier, undefined),
    };
    if (this.error) response.error = this.error;
    return attachOutput(response, this.options, [{ parts: this.parts, finishReason }]);
  }

  private readResponse(response: JsonObject): void {
    this.id ??= asString(response.id);
    this.model = asString(response.model) ?? this.model;
    this.serviceTier = asString(response.service_tier) ?? this.serviceTier;
    this.status = asString(response.status) ?? this.status;
    this.incompleteReason = asString(asObject(response.incomplete_details)?.reason) ?? this.incompleteReason;
    this.usage = responsesUsage(response.usage) ?? this.usage;
    const error = asObject(response.error);
    if (error) this.error = { type: asString(error.code) ?? asString(error.type), message: asString(error.message) };
  }

  /**
   * An output item: whole in a response body, or announced by `output_item.added` in a stream
   * (where its text and arguments follow as deltas, so only tool calls are opened here).
   */
  private startItem(item: JsonObject, index: number, streamed: boolean): void {
    const type = asString(item.type);
    if (type && TOOL_CALL_ITEMS.has(type)) {
      this.calledTool = true;
      const args = type === 'function_call' ? asString(item.arguments) : asString(item.input);
      this.parts.startToolCall(asString(item.call_id), asString(item.name) ?? '', args ?? '', index);
      return;
    }
    if (type === 'message') {
      if (streamed) return;
      const content = asArray(item.content) ?? [];
      for (let part = 0; part < content.length; part++) {
        const entry = asObject(content[part]);
        this.parts.appendText('text', asString(entry?.text) ?? asString(entry?.refusal), `${index}:${part}`);
      }
      return;
    }
    if (type === 'reasoning') {
      if (!streamed) {
        for (const [part, text] of summaryTexts(item).entries()) this.parts.appendText('reasoning', text, `${index}:summary:${part}`);
      }
      return;
    }
    this.parts.addOther({ type: type ?? 'unknown' });
  }

  /**
   * The Responses API has no finish reason, only a status; we report the semconv values it implies
   * (`stop`, `tool_call`, `length`, `content_filter`, `error`).
   */
  private finishReason(): string | undefined {
    switch (this.status) {
      case undefined:
        return undefined;
      case 'completed':
        return this.calledTool ? 'tool_call' : 'stop';
      case 'incomplete':
        return this.incompleteReason === 'max_output_tokens' ? 'length' : (this.incompleteReason ?? 'incomplete');
      case 'failed':
        return 'error';
      case 'in_progress':
      case 'queued':
        return undefined; // the stream ended before the response did
      default:
        return this.status;
    }
  }
}
