import { lazyContent } from '../content/lazy-content';
import { OPENAI_COMPATIBLE } from './vendors';
import * as semconv from '../semconv';
import type { AccumulatorOptions, LlmRequest, ParsedRequest, ParsedResponse, ProviderAdapter, ResponseAccumulator, StreamEvent, Usage } from './adapter';
import { asArray, asNumber, asObject, asString, asStringList, copyNumbers, type JsonObject } from './json-access';
import { messagesForEstimate, toInputMessages } from './openai-chat-content';
import { openAiResponseAttributes } from './openai-attributes';
import { parseOpenAiError } from './openai-error';
import { withToolDefinitions } from './input-estimate';
import { chatToolDefinitions } from './tool-definitions';
import { attachOutput, IndexedOutputs, outputBudget, type OutputParts } from './output-parts';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** OpenAI chat completions (`/v1/chat/completions`), spoken by OpenAI, Azure and every OpenAI-compatible server. */
export const openAiChatAdapter: ProviderAdapter = {
  protocol: 'openai.chat_completions',
  nonDeterminingFields: NON_DETERMINING_FIELDS.openaiChat,
  vendor: OPENAI_COMPATIBLE,
  matchesPath: (url) => url.pathname.endsWith('/chat/completions'),
  looksLikeRequest: (body) => Array.isArray(asObject(body)?.messages),
  parseRequest,
  createAccumulator: (_request, options) => new ChatAccumulator(options),
  eventCarriesSummary: openAiChunkCarriesSummary,
  parseError: parseOpenAiError,
  salvage: { leadingStrings: ['id', 'model', 'object'], trailingObjects: ['usage'], trailingStrings: ['finish_reason'] },
};

// Chunks that name a finish reason or carry usage (or an error), the first (id, model, tier), and
// those that open a tool call (its first delta names the function; the span counts tool calls):
// the span needs nothing from the text and argument deltas in between. A `"name":` inside streamed
// text or arguments is escaped (`\"name\":`) and does not match.
const SUMMARY_FIELDS = /"(?:finish_reason|stop_reason)":\s*"|"usage":\s*\{|"error"|"name":\s*"/;

/** Shared by the chat and legacy completions adapters, whose chunks have the same envelope. */
export function openAiChunkCarriesSummary(data: string, index: number): boolean {
  return index === 0 || SUMMARY_FIELDS.test(data);
}

export const NUMERIC_PARAMETERS = [
  [semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_P, 'top_p'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_K, 'top_k'],
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'max_tokens'],
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'max_completion_tokens'],
  [semconv.ATTR_GEN_AI_REQUEST_SEED, 'seed'],
  [semconv.ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, 'frequency_penalty'],
  [semconv.ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, 'presence_penalty'],
  [semconv.ATTR_GEN_AI_REQUEST_CHOICE_COUNT, 'n'],
] as const;

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const attributes: Record<string, number | string | boolean | string[]> = {};
  copyNumbers(attributes, body, NUMERIC_PARAMETERS);
  const stop = asStringList(body.stop);
  if (stop) attributes[semconv.ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = stop;
  const outputType = outputTypeOf(body.response_format);
  if (outputType) attributes[semconv.ATTR_GEN_AI_OUTPUT_TYPE] = outputType;
  const stream = body.stream === true;
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  attributes[semconv.ATTR_OPENAI_API_TYPE] = 'chat_completions';
  const messages = asArray(body.messages) ?? [];
  const model = asString(body.model);
  return {
    operation: 'chat',
    model,
    stream,
    attributes,
    serviceTier: asString(body.service_tier),
    streamReportsUsage: asObject(body.stream_options)?.include_usage === true,
    content: lazyContent(() => ({ inputMessages: toInputMessages(messages), toolDefinitions: chatToolDefinitions(body) })),
    inputTextsForEstimate: () => withToolDefinitions(messagesForEstimate(messages), chatToolDefinitions(body), model),
  };
}

export function outputTypeOf(responseFormat: unknown): string | undefined {
  const type = asString(asObject(responseFormat)?.type);
  if (type === 'json_object' || type === 'json_schema') return 'json';
  return type === 'text' ? 'text' : undefined;
}

/** OpenAI usage (chat and legacy completions) to semconv meaning. */
export function openAiUsage(value: unknown): Usage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  const prompt = asObject(usage.prompt_tokens_details);
  const completion = asObject(usage.completion_tokens_details);
  const result: Usage = {
    inputTokens: asNumber(usage.prompt_tokens),
    outputTokens: asNumber(usage.completion_tokens),
    cacheReadInputTokens: asNumber(prompt?.cached_tokens),
    reasoningOutputTokens: asNumber(completion?.reasoning_tokens),
  };
  const audioIn = asNumber(prompt?.audio_tokens);
  if (audioIn !== undefined) result.inputByModality = { audio: audioIn };
  const audioOut = asNumber(completion?.audio_tokens);
  if (audioOut !== undefined) result.outputByModality = { audio: audioOut };
  // Reported as 0 on every call that sends no `prediction`: only a non-zero count says anything.
  const accepted = asNumber(completion?.accepted_prediction_tokens);
  if (accepted) result.acceptedPredictionOutputTokens = accepted;
  const rejected = asNumber(completion?.rejected_prediction_tokens);
  if (rejected) result.rejectedPredictionOutputTokens = rejected;
  return result;
}

class ChatAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private serviceTier?: string;
  private systemFingerprint?: string;
  private usage?: Usage;
  private readonly choices: IndexedOutputs;

  constructor(private readonly options: AccumulatorOptions) {
    this.choices = new IndexedOutputs(outputBudget(options));
  }

  onEvent(event: StreamEvent): void {
    const chunk = asObject(event.data);
    if (!chunk) return;
    this.readEnvelope(chunk);
    for (const item of asArray(chunk.choices) ?? []) {
      const choice = asObject(item);
      if (!choice) continue;
      const state = this.choices.at(asNumber(choice.index) ?? 0);
      state.finishReason = asString(choice.finish_reason) ?? state.finishReason;
      const delta = asObject(choice.delta);
      if (!delta) continue;
      state.parts.appendText('text', asString(delta.content) ?? asString(delta.refusal));
      for (const call of asArray(delta.tool_calls) ?? []) this.mergeToolCallDelta(state.parts, asObject(call));
    }
  }

  onBody(body: unknown): void {
    const completion = asObject(body);
    if (!completion) return;
    this.readEnvelope(completion);
    // A body salvaged from an oversized response has no choices, only a top-level finish reason.
    const salvagedFinish = asString(completion.finish_reason);
    if (salvagedFinish) this.choices.at(0).finishReason = salvagedFinish;
    for (const item of asArray(completion.choices) ?? []) {
      const choice = asObject(item);
      if (!choice) continue;
      const state = this.choices.at(asNumber(choice.index) ?? 0);
      state.finishReason = asString(choice.finish_reason) ?? state.finishReason;
      const message = asObject(choice.message);
      if (!message) continue;
      state.parts.appendText('text', asString(message.content) ?? asString(message.refusal));
      for (const call of asArray(message.tool_calls) ?? []) {
        const fn = asObject(asObject(call)?.function);
        if (fn) state.parts.startToolCall(asString(asObject(call)?.id), asString(fn.name) ?? '', asString(fn.arguments) ?? '');
      }
    }
  }

  finish(): ParsedResponse {
    const finishReasons = this.choices.finishReasons();
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      serviceTier: this.serviceTier,
      usage: this.usage,
      finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
      attributes: openAiResponseAttributes(this.serviceTier, this.systemFingerprint),
    };
    return attachOutput(response, this.options, this.choices.list());
  }

  private readEnvelope(object: JsonObject): void {
    // Azure's first stream chunk (prompt filter results) has empty id and model: not the real ones.
    this.id ||= asString(object.id);
    this.model ||= asString(object.model);
    this.serviceTier = asString(object.service_tier) ?? this.serviceTier;
    this.systemFingerprint = asString(object.system_fingerprint) ?? this.systemFingerprint;
    // OpenAI sends usage on a last chunk with empty choices; Together on the last chunk that still
    // has choices; some servers repeat `usage: null` on every chunk. Groq's streams put it in
    // `x_groq.usage` on the last chunk (with `prompt_time`, `queue_time` beside the counts): before,
    // a Groq stream had no usage at all.
    const usage = openAiUsage(object.usage) ?? openAiUsage(asObject(object.x_groq)?.usage);
    if (usage) this.usage = usage;
  }

  /** The first delta of a tool call names it; later ones (same index) carry argument pieces. */
  private mergeToolCallDelta(parts: OutputParts, delta: JsonObject | undefined): void {
    if (!delta) return;
    const key = `tool_call:${asNumber(delta.index) ?? 0}`;
    const fn = asObject(delta.function);
    const name = asString(fn?.name);
    if (name) parts.startToolCall(asString(delta.id), name, asString(fn?.arguments) ?? '', key);
    else parts.appendToolArguments(key, asString(fn?.arguments));
  }
}
