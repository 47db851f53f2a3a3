import * as semconv from '../semconv';
import { GOOGLE_GEN_AI } from './vendors';
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
  ModalityCounts,
  Usage,
  UsageModality,
} from './adapter';
import { addGeminiOutputPart, toGeminiInputMessages, toGeminiSystemParts } from './gemini-content';
import { geminiModelAndMethod, protoField } from './gemini-path';
import { parseGoogleError } from './google-error';
import { lazyContent } from '../content/lazy-content';
import { inputForEstimateOf } from './input-estimate';
import { geminiToolDefinitions } from './tool-definitions';
import { asArray, asNumber, asObject, asString, asStringList, setRequestNumber, type JsonObject } from './json-access';
import { attachOutput, IndexedOutputs, outputBudget } from './output-parts';
import type { RequestAttributes } from './request-attributes';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/**
 * Gemini `:generateContent` and `:streamGenerateContent` (Gemini API and Vertex AI). The model is in
 * the URL, not the body. A stream is SSE with `alt=sse`, else one JSON array sent element by element.
 */
export const geminiAdapter: ProviderAdapter = {
  protocol: 'gcp.gemini.generate_content',
  nonDeterminingFields: NON_DETERMINING_FIELDS.gemini,
  vendor: GOOGLE_GEN_AI,
  matchesPath: (url) => url.pathname.endsWith(':generateContent') || url.pathname.endsWith(':streamGenerateContent'),
  looksLikeRequest: (body) => Array.isArray(asObject(body)?.contents),
  parseRequest,
  streamFraming,
  createAccumulator: (_request, options) => new GenerateContentAccumulator(options),
  parseError: parseGoogleError,
  salvage: { leadingStrings: ['modelVersion', 'responseId'], trailingObjects: ['usageMetadata'], trailingStrings: ['finishReason'] },
};

function streamFraming(request: LlmRequest): StreamFraming {
  if (request.url.searchParams.get('alt') === 'sse') return 'sse';
  return geminiModelAndMethod(request.url)?.method === 'streamGenerateContent' ? 'json-array' : 'json';
}

const GENERATION_PARAMETERS = [
  [semconv.ATTR_GEN_AI_REQUEST_TEMPERATURE, 'temperature'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_P, 'topP'],
  [semconv.ATTR_GEN_AI_REQUEST_TOP_K, 'topK'],
  [semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS, 'maxOutputTokens'],
  [semconv.ATTR_GEN_AI_REQUEST_CHOICE_COUNT, 'candidateCount'],
  [semconv.ATTR_GEN_AI_REQUEST_SEED, 'seed'],
  [semconv.ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY, 'presencePenalty'],
  [semconv.ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY, 'frequencyPenalty'],
] as const;

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const target = geminiModelAndMethod(request.url);
  const stream = target?.method === 'streamGenerateContent';
  const attributes: RequestAttributes = {};
  const config = asObject(protoField(body, 'generationConfig'));
  for (const [attribute, field] of GENERATION_PARAMETERS) setRequestNumber(attributes, attribute, asNumber(protoField(config, field)));
  const stop = asStringList(protoField(config, 'stopSequences'));
  if (stop) attributes[semconv.ATTR_GEN_AI_REQUEST_STOP_SEQUENCES] = stop;
  const mimeType = asString(protoField(config, 'responseMimeType'));
  if (mimeType === 'application/json') attributes[semconv.ATTR_GEN_AI_OUTPUT_TYPE] = 'json';
  else if (mimeType === 'text/plain') attributes[semconv.ATTR_GEN_AI_OUTPUT_TYPE] = 'text';
  // Semconv: set only when streaming.
  if (stream) attributes[semconv.ATTR_GEN_AI_REQUEST_STREAM] = true;
  const content = lazyContent(() => ({
    inputMessages: toGeminiInputMessages(body.contents),
    systemInstructions: toGeminiSystemParts(protoField(body, 'systemInstruction')),
    toolDefinitions: geminiToolDefinitions(body),
  }));
  return {
    operation: 'generate_content',
    model: target?.model,
    stream,
    attributes,
    // Every stream element carries usageMetadata.
    streamReportsUsage: true,
    content,
    inputTextsForEstimate: () => inputForEstimateOf(content(), target?.model),
  };
}

/**
 * `usageMetadata` in semconv meaning. `promptTokenCount` already includes cached tokens; tool-use
 * prompt tokens and thinking tokens are reported outside the prompt and candidate counts.
 */
function geminiUsage(value: unknown): Usage | undefined {
  const usage = asObject(value);
  if (!usage) return undefined;
  const prompt = asNumber(usage.promptTokenCount);
  const toolPrompt = asNumber(usage.toolUsePromptTokenCount);
  const candidates = asNumber(usage.candidatesTokenCount);
  const thoughts = asNumber(usage.thoughtsTokenCount);
  // Vertex sends `usageMetadata: {trafficType}` on early stream elements: no counts yet.
  if (prompt === undefined && candidates === undefined && thoughts === undefined) return undefined;
  const result: Usage = {
    inputTokens: prompt === undefined && toolPrompt === undefined ? undefined : (prompt ?? 0) + (toolPrompt ?? 0),
    outputTokens: candidates === undefined && thoughts === undefined ? undefined : (candidates ?? 0) + (thoughts ?? 0),
    cacheReadInputTokens: asNumber(usage.cachedContentTokenCount),
    reasoningOutputTokens: thoughts,
  };
  // Tool-use prompt tokens are input too: their modalities add to the prompt's.
  const input = modalityCounts([usage.promptTokensDetails, usage.toolUsePromptTokensDetails]);
  if (input) result.inputByModality = input;
  const output = modalityCounts([usage.candidatesTokensDetails]);
  if (output) result.outputByModality = output;
  return result;
}

const GEMINI_MODALITIES: Readonly<Record<string, UsageModality>> = { TEXT: 'text', IMAGE: 'image', AUDIO: 'audio', VIDEO: 'video' };

/**
 * `[{modality: 'TEXT', tokenCount: 12}, ...]` lists to per-modality counts. DOCUMENT (PDF pages) has no
 * semconv usage name and is left out; the totals still include it.
 */
function modalityCounts(lists: unknown[]): ModalityCounts | undefined {
  let counts: ModalityCounts | undefined;
  for (const list of lists) {
    for (const item of asArray(list) ?? []) {
      const entry = asObject(item);
      const modality = GEMINI_MODALITIES[asString(entry?.modality) ?? ''];
      const count = asNumber(entry?.tokenCount) ?? 0;
      if (!modality) continue;
      counts ??= {};
      counts[modality] = (counts[modality] ?? 0) + count;
    }
  }
  return counts;
}

class GenerateContentAccumulator implements ResponseAccumulator {
  private id?: string;
  private model?: string;
  private usage?: Usage;
  private blockReason?: string;
  private error?: ProviderError;
  private readonly candidates: IndexedOutputs;

  constructor(private readonly options: AccumulatorOptions) {
    this.candidates = new IndexedOutputs(outputBudget(options));
  }

  /** Every stream element is a whole GenerateContentResponse holding the next piece of each candidate. */
  onEvent(event: StreamEvent): void {
    this.onBody(event.data);
  }

  onBody(body: unknown): void {
    const response = asObject(body);
    if (!response) return;
    if (asObject(response.error)) {
      this.error = parseGoogleError(response);
      return;
    }
    this.id ??= asString(response.responseId);
    this.model = asString(response.modelVersion) ?? this.model;
    // Each element repeats the running totals: the last one wins.
    this.usage = geminiUsage(response.usageMetadata) ?? this.usage;
    this.blockReason = asString(asObject(response.promptFeedback)?.blockReason) ?? this.blockReason;
    const salvagedFinish = asString(response.finishReason);
    if (salvagedFinish) this.candidates.at(0).finishReason = salvagedFinish;
    for (const item of asArray(response.candidates) ?? []) {
      const candidate = asObject(item);
      if (candidate) this.readCandidate(candidate);
    }
  }

  finish(): ParsedResponse {
    const finishReasons = this.candidates.finishReasons();
    // A blocked prompt has no candidate; its block reason is why nothing was generated.
    if (finishReasons.length === 0 && this.blockReason) finishReasons.push(this.blockReason);
    const response: ParsedResponse = {
      id: this.id,
      model: this.model,
      usage: this.usage,
      finishReasons: finishReasons.length > 0 ? finishReasons : undefined,
    };
    if (this.error) response.error = this.error;
    return attachOutput(response, this.options, this.candidates.list());
  }

  private readCandidate(candidate: JsonObject): void {
    const state = this.candidates.at(asNumber(candidate.index) ?? 0);
    state.finishReason = asString(candidate.finishReason) ?? state.finishReason;
    for (const item of asArray(asObject(candidate.content)?.parts) ?? []) {
      const part = asObject(item);
      if (part) addGeminiOutputPart(state.parts, part);
    }
  }
}
