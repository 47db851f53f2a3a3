import type { MessagePart, OutputMessage } from '../content/messages';
import { lazyContent } from '../content/lazy-content';
import { parseArguments, TextBudget } from '../content/text-budget';
import * as semconv from '../semconv';
import type { AccumulatorOptions, LlmRequest, ParsedRequest, ParsedResponse, ProviderAdapter, ResponseAccumulator, StreamEvent, Usage } from './adapter';
import { asArray, asNumber, asObject, asString, asStringList, copyNumbers, type JsonObject } from './json-access';
import { messageTexts, toInputMessages } from './openai-chat-content';
import { parseOpenAiError } from './openai-error';

/** OpenAI chat completions (`/v1/chat/completions`), spoken by OpenAI, Azure and every OpenAI-compatible server. */
export const openAiChatAdapter: ProviderAdapter = {
  protocol: 'openai.chat_completions',
  matchesPath: (url) => url.pathname.endsWith('/chat/completions'),
  looksLikeRequest: (body) => Array.isArray(asObject(body)?.messages),
  parseRequest,
  createAccumulator: (_request, options) => new ChatAccumulator(options),
  eventCarriesSummary: openAiChunkCarriesSummary,
  parseError: parseOpenAiError,
};

// Chunks that name a finish reason or carry usage (or an error), the first (id, model, tier):
// the span needs nothing from the text deltas in between.
const SUMMARY_FIELDS = /"(?:finish_reason|stop_reason)":\s*"|"usage":\s*\{|"error"/;

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
  attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = stream;
  const messages = asArray(body.messages) ?? [];
  return {
    operation: 'chat',
    model: asString(body.model),
    stream,
    attributes,
    serviceTier: asString(body.service_tier),
    streamReportsUsage: asObject(body.stream_options)?.include_usage === true,
    content: lazyContent(() => ({ inputMessages: toInputMessages(messages) })),
    inputTextsForEstimate: () => ({ texts: messageTexts(messages), messageCount: messages.length }),
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
  return {
    inputTokens: asNumber(usage.prompt_tokens),
    outputTokens: asNumber(usage.completion_tokens),
    cacheReadInputTokens: asNumber(asObject(usage.prompt_tokens_details)?.cached_tokens),
    reasoningOutputTokens: asNumber(asObject(usage.completion_tokens_details)?.reasoning_tokens),
  };
}

interface ChoiceState {
  text: string;
  finishReason?: string;
  toolCalls: { id?: string; name: string; arguments: string }[];
}

class ChatAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private serviceTier?: string;
  private usage?: Usage;
  private readonly choices: ChoiceState[] = [];
  private readonly keepText: boolean;
  private readonly budget: TextBudget;

  constructor(private readonly options: AccumulatorOptions) {
    this.keepText = options.captureContent || options.keepOutputText;
    this.budget = new TextBudget(options.maxTextLength);
  }

  onEvent(event: StreamEvent): void {
    const chunk = asObject(event.data);
    if (!chunk) return;
    this.readEnvelope(chunk);
    for (const item of asArray(chunk.choices) ?? []) {
      const choice = asObject(item);
      if (!choice) continue;
      const state = this.choice(asNumber(choice.index) ?? 0);
      const finish = asString(choice.finish_reason);
      if (finish) state.finishReason = finish;
      const delta = asObject(choice.delta);
      if (!delta || !this.keepText) continue;
      const content = asString(delta.content);
      if (content) state.text += this.budget.take(content);
      for (const callItem of asArray(delta.tool_calls) ?? []) this.mergeToolCallDelta(state, asObject(callItem));
    }
  }

  onBody(body: unknown): void {
    const completion = asObject(body);
    if (!completion) return;
    this.readEnvelope(completion);
    // A body salvaged from an oversized response has no choices, only a top-level finish reason.
    const salvagedFinish = asString(completion.finish_reason);
    if (salvagedFinish) this.choice(0).finishReason = salvagedFinish;
    for (const item of asArray(completion.choices) ?? []) {
      const choice = asObject(item);
      if (!choice) continue;
      const state = this.choice(asNumber(choice.index) ?? 0);
      state.finishReason = asString(choice.finish_reason) ?? state.finishReason;
      const message = asObject(choice.message);
      if (!message || !this.keepText) continue;
      state.text += this.budget.take(asString(message.content) ?? asString(message.refusal) ?? '');
      for (const call of asArray(message.tool_calls) ?? []) {
        const fn = asObject(asObject(call)?.function);
        if (fn) state.toolCalls.push({ id: asString(asObject(call)?.id), name: asString(fn.name) ?? '', arguments: this.budget.take(asString(fn.arguments) ?? '') });
      }
    }
  }

  finish(): ParsedResponse {
    const finishReasons = this.choices.map((choice) => choice.finishReason).filter((reason): reason is string => !!reason);
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      serviceTier: this.serviceTier,
      usage: this.usage,
      finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
    };
    if (this.options.keepOutputText) {
      response.outputTextForEstimate = this.choices
        .map((choice) => choice.text + choice.toolCalls.map((call) => call.name + call.arguments).join(''))
        .join('');
    }
    if (this.options.captureContent) response.outputMessages = this.choices.map(toOutputMessage);
    return response;
  }

  private readEnvelope(object: JsonObject): void {
    // Azure's first stream chunk (prompt filter results) has empty id and model: not the real ones.
    this.id ||= asString(object.id);
    this.model ||= asString(object.model);
    this.serviceTier = asString(object.service_tier) ?? this.serviceTier;
    // OpenAI sends usage on a last chunk with empty choices; Together on the last chunk that still
    // has choices; some servers repeat `usage: null` on every chunk.
    const usage = openAiUsage(object.usage);
    if (usage) this.usage = usage;
  }

  private choice(index: number): ChoiceState {
    let state = this.choices[index];
    if (!state) {
      state = { text: '', toolCalls: [] };
      this.choices[index] = state;
    }
    return state;
  }

  private mergeToolCallDelta(state: ChoiceState, delta: JsonObject | undefined): void {
    if (!delta) return;
    const index = asNumber(delta.index) ?? state.toolCalls.length;
    const fn = asObject(delta.function);
    let call = state.toolCalls[index];
    if (!call) {
      call = { id: asString(delta.id), name: '', arguments: '' };
      state.toolCalls[index] = call;
    }
    call.id ??= asString(delta.id);
    const name = asString(fn?.name);
    if (name) call.name += name;
    const args = asString(fn?.arguments);
    if (args) call.arguments += this.budget.take(args);
  }
}

function toOutputMessage(choice: ChoiceState): OutputMessage {
  const parts: MessagePart[] = [];
  if (choice.text) parts.push({ type: 'text', content: choice.text });
  for (const call of choice.toolCalls) {
    if (call) parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: parseArguments(call.arguments) });
  }
  return { role: 'assistant', parts, finish_reason: choice.finishReason ?? '' };
}
