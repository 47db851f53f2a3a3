import type { InputMessage } from '../content/messages';
import { OPENAI_COMPATIBLE } from './vendors';
import * as semconv from '../semconv';
import type { AccumulatorOptions, LlmRequest, ParsedRequest, ParsedResponse, ProviderAdapter, ResponseAccumulator, StreamEvent, Usage } from './adapter';
import { lazyContent } from '../content/lazy-content';
import { inputForEstimateOf } from './input-estimate';
import { asArray, asNumber, asObject, asString, asStringList, type JsonObject } from './json-access';
import { NUMERIC_PARAMETERS, openAiChunkCarriesSummary, openAiUsage } from './openai-chat';
import { openAiResponseAttributes } from './openai-attributes';
import { parseOpenAiError } from './openai-error';
import { attachOutput, IndexedOutputs, outputBudget } from './output-parts';
import { samplingAttributes } from './request-attributes';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** Legacy OpenAI completions (`/v1/completions`, not `/chat/completions`), streamed or not. */
export const openAiCompletionsAdapter: ProviderAdapter = {
  protocol: 'openai.completions',
  nonDeterminingFields: NON_DETERMINING_FIELDS.openaiCompletions,
  vendor: OPENAI_COMPATIBLE,
  matchesPath: (url) => url.pathname.endsWith('/completions') && !url.pathname.endsWith('/chat/completions'),
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && object.prompt !== undefined && !Array.isArray(object.messages);
  },
  parseRequest,
  createAccumulator: (_request, options) => new CompletionsAccumulator(options),
  eventCarriesSummary: openAiChunkCarriesSummary,
  parseError: parseOpenAiError,
  salvage: { leadingStrings: ['id', 'model', 'object'], trailingObjects: ['usage'], trailingStrings: ['finish_reason'] },
};

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const attributes = samplingAttributes(body, NUMERIC_PARAMETERS, body.stop);
  const stream = body.stream === true;
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  attributes[semconv.ATTR_OPENAI_API_TYPE] = 'completions';
  // A list of prompts is a batch: one input message per prompt. Token-id prompts have no text to keep.
  const content = lazyContent(() => ({
    inputMessages: (asStringList(body.prompt) ?? []).map((prompt): InputMessage => ({ role: 'user', parts: [{ type: 'text', content: prompt }] })),
  }));
  return {
    operation: 'text_completion',
    model: asString(body.model),
    stream,
    attributes,
    streamReportsUsage: asObject(body.stream_options)?.include_usage === true,
    content,
    inputTextsForEstimate: () => inputForEstimateOf(content(), asString(body.model)),
  };
}

class CompletionsAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private usage?: Usage;
  private serviceTier?: string;
  private systemFingerprint?: string;
  private readonly choices: IndexedOutputs;

  constructor(private readonly options: AccumulatorOptions) {
    this.choices = new IndexedOutputs(outputBudget(options));
  }

  onEvent(event: StreamEvent): void {
    const chunk = asObject(event.data);
    if (chunk) this.read(chunk);
  }

  onBody(body: unknown): void {
    const completion = asObject(body);
    if (!completion) return;
    this.read(completion);
    // A body salvaged from an oversized response keeps only a top-level finish reason.
    const salvagedFinish = asString(completion.finish_reason);
    if (salvagedFinish) this.choices.at(0).finishReason = salvagedFinish;
  }

  finish(): ParsedResponse {
    const finishReasons = this.choices.finishReasons();
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      usage: this.usage,
      serviceTier: this.serviceTier,
      finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
      attributes: openAiResponseAttributes(this.serviceTier, this.systemFingerprint),
    };
    return attachOutput(response, this.options, this.choices.list());
  }

  /** A completion or a streamed chunk: both carry `choices[].text` (FIM servers use `message`/`delta`). */
  private read(object: JsonObject): void {
    this.id ||= asString(object.id);
    this.model ||= asString(object.model);
    this.usage = openAiUsage(object.usage) ?? this.usage;
    this.serviceTier = asString(object.service_tier) ?? this.serviceTier;
    this.systemFingerprint = asString(object.system_fingerprint) ?? this.systemFingerprint;
    for (const item of asArray(object.choices) ?? []) {
      const choice = asObject(item);
      if (!choice) continue;
      const state = this.choices.at(asNumber(choice.index) ?? 0);
      state.finishReason = asString(choice.finish_reason) ?? state.finishReason;
      const text = asString(choice.text) ?? asString(asObject(choice.message)?.content) ?? asString(asObject(choice.delta)?.content);
      state.parts.appendText('text', text);
    }
  }
}
