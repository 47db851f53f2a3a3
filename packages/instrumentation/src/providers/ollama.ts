import * as semconv from '../semconv';
import { OLLAMA } from './vendors';
import type {
  AccumulatorOptions,
  LlmRequest,
  ParsedRequest,
  ParsedResponse,
  ProviderAdapter,
  ProviderError,
  ResponseAccumulator,
  StreamEvent,
  StreamFraming,
  Usage,
} from './adapter';
import { lazyContent } from '../content/lazy-content';
import { inputForEstimateOf } from './input-estimate';
import { chatToolDefinitions } from './tool-definitions';
import { asArray, asNumber, asObject, asString, type JsonObject } from './json-access';
import { toOllamaChatMessages, toOllamaPromptMessages } from './ollama-content';
import { parseOpenAiError } from './openai-error';
import { attachOutput, OutputParts, outputBudget } from './output-parts';
import { samplingAttributes } from './request-attributes';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/**
 * Ollama's native API: `/api/chat` and `/api/generate`. Served from any host, so an unknown host is
 * traced when the body has Ollama's shape, as provider `ollama`. It streams NDJSON unless the
 * request says `"stream": false`.
 */
export const ollamaAdapter: ProviderAdapter = {
  protocol: 'ollama',
  nonDeterminingFields: NON_DETERMINING_FIELDS.ollama,
  vendor: OLLAMA,
  matchesPath: (url) => url.pathname.endsWith('/api/chat') || url.pathname.endsWith('/api/generate'),
  // `/api/chat` is a common route of web apps too: demand Ollama's required `model` as well.
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && typeof object.model === 'string' && (Array.isArray(object.messages) || typeof object.prompt === 'string');
  },
  parseRequest,
  streamFraming: (request): StreamFraming => (asObject(request.body)?.stream === false ? 'json' : 'ndjson'),
  createAccumulator: (_request, options) => new OllamaAccumulator(options),
  // `{"error": "model \"llama9\" not found, try pulling it first"}`
  parseError: parseOpenAiError,
  salvage: { leadingStrings: ['model'], trailingStrings: ['done_reason'], trailingNumbers: ['prompt_eval_count', 'eval_count'] },
};

const OPTION_PARAMETERS = [
  [semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_P, 'top_p'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_K, 'top_k'],
  [semconv.ATTR_GEN_AI_REQUEST_SEED, 'seed'],
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'num_predict'],
  [semconv.ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, 'presence_penalty'],
  [semconv.ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, 'frequency_penalty'],
] as const;

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const chat = request.url.pathname.endsWith('/api/chat');
  const options = asObject(body.options) ?? {};
  const attributes = samplingAttributes(options, OPTION_PARAMETERS, options.stop);
  // `format` is "json" or a JSON schema.
  if (body.format === 'json' || asObject(body.format)) attributes[semconv.ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  const stream = body.stream !== false;
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  const system = asString(body.system);
  const content = lazyContent(() => ({
    inputMessages: chat ? toOllamaChatMessages(asArray(body.messages) ?? []) : toOllamaPromptMessages(body),
    systemInstructions: !chat && system ? [{ type: 'text' as const, content: system }] : undefined,
    // Ollama takes OpenAI-shaped tools.
    toolDefinitions: chatToolDefinitions(body),
  }));
  return {
    operation: chat ? 'chat' : 'text_completion',
    model: asString(body.model),
    stream,
    attributes,
    // The `done` line always carries the counts.
    streamReportsUsage: true,
    content,
    inputTextsForEstimate: () => inputForEstimateOf(content(), asString(body.model)),
  };
}

/** Reads NDJSON lines or a whole body alike: the last line (`done: true`) has the counts. */
class OllamaAccumulator implements ResponseAccumulator {
  private model?: string;
  private doneReason?: string;
  private usage?: Usage;
  private error?: ProviderError;
  private readonly parts: OutputParts;

  constructor(private readonly options: AccumulatorOptions) {
    this.parts = new OutputParts(outputBudget(options));
  }

  onEvent(event: StreamEvent): void {
    this.onBody(event.data);
  }

  onBody(body: unknown): void {
    const line = asObject(body);
    if (!line) return;
    if (typeof line.error === 'string') {
      this.error = parseOpenAiError(line);
      return;
    }
    this.model ??= asString(line.model);
    const message = asObject(line.message);
    if (message) this.readMessage(message);
    this.parts.appendText('reasoning', asString(line.thinking));
    this.parts.appendText('text', asString(line.response));
    this.doneReason = asString(line.done_reason) ?? this.doneReason;
    const input = asNumber(line.prompt_eval_count);
    const output = asNumber(line.eval_count);
    if (input !== undefined || output !== undefined) this.usage = { inputTokens: input, outputTokens: output };
  }

  finish(): ParsedResponse {
    const response: ParsedResponse = { model: this.model, usage: this.usage, finishReasons: this.doneReason ? [this.doneReason] : undefined };
    if (this.error) response.error = this.error;
    return attachOutput(response, this.options, [{ parts: this.parts, finishReason: this.doneReason }]);
  }

  private readMessage(message: JsonObject): void {
    this.parts.appendText('reasoning', asString(message.thinking));
    this.parts.appendText('text', asString(message.content));
    for (const call of asArray(message.tool_calls) ?? []) {
      const fn = asObject(asObject(call)?.function);
      if (fn) this.parts.addToolCall(asString(asObject(call)?.id), asString(fn.name) ?? '', fn.arguments);
    }
  }
}
