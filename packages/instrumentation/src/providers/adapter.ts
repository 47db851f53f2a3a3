import type { Attributes } from '@opentelemetry/api';
import type { GenAiOperationName } from '../semconv';
import type { InputMessage, MessagePart, OutputMessage, ToolDefinition } from '../content/messages';

/**
 * What a hook knows about an outgoing request before the response arrives. `body` is the parsed
 * JSON request body, or undefined when the body was not JSON, was a stream we must not consume,
 * or was larger than the configured bound.
 */
export interface LlmRequest {
  readonly url: URL;
  readonly method: string;
  readonly body: unknown;
  /** The body was not parsed because it is over `maxRequestBodyBytes` (`body` is then undefined). */
  readonly bodyOverBound?: boolean;
  /** Lower-case header lookup; returns undefined when absent. */
  header(name: string): string | undefined;
}

/** Token counts exactly as the provider reported them, normalised to semconv meaning. */
export interface Usage {
  /** Includes cached and cache-write input tokens (semconv). */
  inputTokens?: number;
  /** Includes reasoning / thinking tokens (semconv). */
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  /** The part of cacheCreationInputTokens written to a 1-hour cache (Anthropic), priced apart. */
  cacheWrite1hInputTokens?: number;
  reasoningOutputTokens?: number;
  /** Input tokens per modality, as the provider broke them down (subsets of inputTokens). */
  inputByModality?: ModalityCounts;
  /** Output tokens per modality, as the provider broke them down (subsets of outputTokens). */
  outputByModality?: ModalityCounts;
  /** OpenAI Predicted Outputs: prediction tokens that appeared in the completion. */
  acceptedPredictionOutputTokens?: number;
  /** OpenAI Predicted Outputs: prediction tokens that did not (billed as output all the same). */
  rejectedPredictionOutputTokens?: number;
}

/** The modalities semconv names per-modality usage for (`gen_ai.usage.{modality}.input_tokens`). */
export type UsageModality = 'text' | 'image' | 'audio' | 'video';
export type ModalityCounts = Partial<Record<UsageModality, number>>;

/** The request's messages in the semconv schema. */
export interface RequestContent {
  systemInstructions?: MessagePart[];
  inputMessages?: InputMessage[];
  /** The tools the request offers (`tools`, `functions`, `functionDeclarations`). */
  toolDefinitions?: ToolDefinition[];
}

/**
 * What a tokenizer counts as a request's input: texts, plus OpenAI's framing (3 tokens per message,
 * and `fixedTokens` for the framing of function definitions, which is not text).
 */
export interface EstimateInput {
  texts: string[];
  messageCount: number;
  fixedTokens?: number;
}

/** What an adapter learned from the request body. */
export interface ParsedRequest {
  operation: GenAiOperationName;
  model?: string;
  stream: boolean;
  /** gen_ai.request.* attributes, as sent. */
  attributes: Attributes;
  /**
   * The stream will carry usage (Anthropic, Gemini always; OpenAI chat only with
   * `stream_options.include_usage`), so no output text needs keeping for an estimate.
   */
  streamReportsUsage?: boolean;
  /** The provider's service tier, when the request selects one (prices differ per tier). */
  serviceTier?: string;
  /**
   * Opt-in content, built only when content capture is on: converting a long conversation to the
   * semconv schema is work no call should pay for when nobody records it.
   */
  content?: () => RequestContent;
  /**
   * The texts a tokenizer would count as input, for estimating usage when a stream reports none.
   * Only called when an estimate is needed.
   */
  inputTextsForEstimate?: () => EstimateInput;
}

/** What an adapter learned from the response. */
export interface ParsedResponse {
  id?: string;
  model?: string;
  finishReasons?: string[];
  usage?: Usage;
  serviceTier?: string;
  /** Opt-in content. */
  outputMessages?: OutputMessage[];
  /** How many tool calls the model asked for (all outputs), when at least one; known without content capture. */
  toolCallCount?: number;
  /** The generated text (and tool-call arguments) a tokenizer would count as output. */
  outputTextForEstimate?: string;
  /**
   * The output kept for capture or an estimate hit the call's bound (characters or parts): messages
   * are cut short and an estimate counts less than was generated.
   */
  outputTruncated?: boolean;
  /** Extra attributes the protocol defines (e.g. gen_ai.embeddings.dimension.count). */
  attributes?: Attributes;
  /**
   * An error the provider reported inside a 2xx response (Anthropic's SSE `error` event, a Responses
   * `response.failed`, an error element of a Gemini stream, an Ollama `{"error"}` line): the call failed.
   */
  error?: ProviderError;
}

/** A provider error body turned into `error.type` and a status message. */
export interface ProviderError {
  type?: string;
  message?: string;
}

/** One event of a streamed response: an SSE event, an NDJSON line or a JSON-array element. */
export interface StreamEvent {
  /** The SSE `event:` field, when present. */
  readonly name?: string;
  /** The parsed JSON payload (SSE `data:` field, NDJSON line, array element). */
  readonly data: unknown;
}

/**
 * Accumulates one response. Adapters keep only what they need (ids, usage, finish reasons and,
 * when content capture is on, bounded text), never the whole body.
 */
export interface ResponseAccumulator {
  /** A streamed event, in arrival order. */
  onEvent(event: StreamEvent): void;
  /** The whole JSON body of a non-streamed response. */
  onBody(body: unknown): void;
  /** Called once, at the end; may be called without any event when the body was unparseable. */
  finish(): ParsedResponse;
}

/**
 * The top-level fields of a non-streamed response body that a protocol's `onBody` reads, for a body
 * too large to keep: they are looked for in its first and last 64 KiB only, and `onBody` receives
 * the partial object they make (framing/bounded-body.ts).
 */
export interface SalvageFields {
  /** String fields near the start of the body (ids, the model). */
  readonly leadingStrings?: readonly string[];
  /** Object fields near its end (usage). */
  readonly trailingObjects?: readonly string[];
  /** String fields near its end (finish reason, status). */
  readonly trailingStrings?: readonly string[];
  /** Non-negative integer fields near its end (token counts). */
  readonly trailingNumbers?: readonly string[];
}

/** How the response body is framed on the wire when the content type alone does not say. */
export type StreamFraming = 'sse' | 'ndjson' | 'json-array' | 'json';

export interface AccumulatorOptions {
  /** Keep output text and tool calls for content capture. */
  captureContent: boolean;
  /** Keep output text for token estimation (the request is a stream that may report no usage). */
  keepOutputText: boolean;
  /** Upper bound, in UTF-16 code units, of text kept per call for the two purposes above. */
  maxTextLength: number;
}

/**
 * One wire protocol (OpenAI chat completions, Anthropic messages, ...). Every function is pure over
 * the request and response JSON, so an adapter is tested on recorded traffic alone.
 */
export interface ProviderAdapter {
  /** Stable id of the wire protocol, e.g. `openai.chat_completions`; goes on the span. */
  readonly protocol: string;
  /**
   * The vendor whose protocol this is, named on spans to hosts we do not know (a proxy, a gateway, a
   * self-hosted server). `shared` is true when many servers implement it (OpenAI's protocols): the
   * span then also says `llm_otel.provider.compatible=true`. `_OTHER` is never a provider name: it
   * is semconv's fallback for `error.type` only.
   */
  readonly vendor: { readonly name: string; readonly shared: boolean };
  /** True when a POST to this path speaks this protocol (the host is matched elsewhere). */
  matchesPath(url: URL): boolean;
  /**
   * For hosts we do not know, is this body really this protocol? Keeps us from tracing unrelated
   * endpoints that happen to share a path.
   */
  looksLikeRequest(body: unknown): boolean;
  parseRequest(request: LlmRequest): ParsedRequest;
  /** Framing of a streamed response when the content type is ambiguous (e.g. `application/json`). */
  streamFraming?(request: LlmRequest): StreamFraming;
  createAccumulator(request: ParsedRequest, options: AccumulatorOptions): ResponseAccumulator;
  /**
   * When neither content nor output text is kept, most events of a stream (text deltas) carry
   * nothing the span needs. Returns false for an event (raw `data` text, its index, its SSE name)
   * that can be skipped unparsed; every event is parsed when this is absent.
   */
  eventCarriesSummary?(data: string, index: number, name: string | undefined): boolean;
  /** Error body (already JSON-parsed, or a string when it was not JSON) to type and message. */
  parseError(body: unknown, status: number): ProviderError;
  /**
   * Top-level request-body members that do not determine the answer (transport, billing, tracking:
   * `stream`, `user`, `metadata`, ...), left out of the request fingerprint (docs/request-fingerprint.md).
   * Everything else is fingerprinted, so a parameter the list does not know still changes it. Absent:
   * the whole body.
   */
  readonly nonDeterminingFields?: readonly string[];
  /** What `onBody` can still be given from a body over `maxResponseBodyBytes`; nothing when absent. */
  readonly salvage?: SalvageFields;
}
