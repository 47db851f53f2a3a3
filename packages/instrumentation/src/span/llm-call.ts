import { diag, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config';
import { getGenAiContext } from '../context/gen-ai-context';
import { estimateTokens } from '../estimate/token-estimator';
import { ResponseObserver } from '../framing/response-observer';
import type { PriceBook } from '../pricing/price-book';
import type { LlmRequest, ParsedRequest, ParsedResponse, ResponseAccumulator, StreamFraming, Usage } from '../providers/adapter';
import type { EndpointMatch } from '../providers/registry';
import * as semconv from '../semconv';
import type { CallMetrics } from './call-metrics';
import type { CallSummary } from './call-summary';
import { ChunkGaps } from './chunk-gaps';
import { networkErrorType } from './error-type';
import { DEFAULT_SEMCONV_STABILITY, type SemconvStability } from './semconv-stability';
import { addUsageAttributes } from './usage-attributes';

/** What every call of one instrumentation shares. */
export interface CallEnvironment {
  tracer: Tracer;
  config: ResolvedConfig;
  prices: PriceBook;
  metrics?: CallMetrics;
  /** Span completions under way (end-of-call parsing, token estimates), awaited by flush(). */
  completions: Set<Promise<void>>;
  /** OTEL_SEMCONV_STABILITY_OPT_IN as read when the instrumentation was constructed; v1.41 names when absent. */
  semconv?: SemconvStability;
}

/** The usage a span reports: the provider's, or a tokenizer's estimate. */
interface MeasuredUsage {
  usage: Usage;
  estimated: boolean;
}

export type HookName = 'fetch' | 'undici';

/** Milliseconds since the epoch with sub-millisecond precision, as OpenTelemetry takes times. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

// Error bodies are small; keep at most this much of one.
const MAX_ERROR_BODY = 64 * 1024;

/**
 * The span of one HTTP attempt to an LLM endpoint, from the request to the last byte of the
 * response. Hooks call it in lifecycle order (start, response, chunks, end | cancel | error); the
 * adapter does the parsing. Nothing here throws into the hook: every entry point is guarded.
 */
export class LlmCall {
  private observer?: ResponseObserver;
  private accumulator?: ResponseAccumulator;
  private statusCode = 0;
  private firstEventAt?: number;
  private chunkGaps?: ChunkGaps;
  private problem?: string;
  private finished = false;

  private constructor(
    private readonly env: CallEnvironment,
    private readonly match: EndpointMatch,
    private readonly request: LlmRequest,
    private readonly parsed: ParsedRequest | undefined,
    private readonly span: Span,
    private readonly startTime: number,
    private readonly baseAttributes: Attributes,
  ) {}

  /**
   * Starts the span, or returns undefined when the request is not an LLM call after all (an unknown
   * host whose body does not have the protocol's shape).
   */
  static start(
    env: CallEnvironment,
    match: EndpointMatch,
    request: LlmRequest,
    hook: HookName,
    startTime: number,
    parent: Context,
  ): LlmCall | undefined {
    if (match.needsBodyCheck && !safely(() => match.adapter.looksLikeRequest(request.body), false)) return undefined;
    let parsed: ParsedRequest | undefined;
    let parseError: string | undefined;
    try {
      parsed = match.adapter.parseRequest(request);
    } catch (error) {
      parseError = `request parsing failed: ${(error as Error).message}`;
    }
    const operation = parsed?.operation ?? 'chat';
    const model = parsed?.model;
    const baseAttributes: Attributes = {
      [semconv.ATTR_GEN_AI_OPERATION_NAME]: operation,
      [semconv.ATTR_GEN_AI_PROVIDER_NAME]: match.providerName,
      [semconv.ATTR_SERVER_ADDRESS]: request.url.hostname,
      [semconv.ATTR_SERVER_PORT]: serverPort(request.url),
    };
    if (model) baseAttributes[semconv.ATTR_GEN_AI_REQUEST_MODEL] = model;
    // Object.assign rather than spreads: object spread is several times slower on Node 20, and this
    // runs on every call.
    const attributes: Attributes = Object.assign({}, baseAttributes, parsed?.attributes);
    attributes[semconv.ATTR_LLM_OTEL_PROTOCOL] = match.adapter.protocol;
    attributes[semconv.ATTR_LLM_OTEL_HOOK] = hook;
    if (match.compatibleServer) attributes[semconv.ATTR_LLM_OTEL_PROVIDER_COMPATIBLE] = true;
    const resendCount = Number(request.header('x-stainless-retry-count'));
    if (resendCount > 0) attributes[semconv.ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount;
    addContextAttributes(attributes, parent);
    if (parseError) attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = parseError;
    if (env.config.captureContent && parsed) addInputContent(attributes, parsed);

    const span = env.tracer.startSpan(
      model ? `${operation} ${model}` : operation,
      { kind: SpanKind.CLIENT, attributes, startTime },
      parent,
    );
    return new LlmCall(env, match, request, parsed, span, startTime, baseAttributes);
  }

  /** `parent` with this call's span in it: the context the request is sent under (hooks/trace-context.ts). */
  contextIn(parent: Context): Context {
    return trace.setSpan(parent, this.span);
  }

  /** Response headers arrived. */
  onResponse(statusCode: number, contentType: string | undefined): void {
    guard(() => {
      this.statusCode = statusCode;
      this.span.setAttribute(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
      const { config } = this.env;
      const isError = statusCode >= 400;
      const framing: StreamFraming = isError ? 'json' : this.framingFor(contentType);
      const streamed = framing !== 'json';
      const keepOutputText = !isError && streamed && config.estimateMissingUsage && this.parsed?.streamReportsUsage !== true;
      const adapter = this.match.adapter;
      this.accumulator = adapter.createAccumulator(this.parsed ?? emptyRequest(), {
        captureContent: config.captureContent,
        keepOutputText,
        maxTextLength: config.maxContentLength,
      });
      const skipTextEvents = !config.captureContent && !keepOutputText && adapter.eventCarriesSummary;
      this.observer = new ResponseObserver(
        framing,
        this.accumulator,
        {
          onFirstEvent: () => {
            this.firstEventAt = now();
          },
          onEvent: streamed ? () => (this.chunkGaps ??= new ChunkGaps()).onChunk(performance.now()) : undefined,
          onProblem: (message) => {
            // An error page that is not JSON is not a parsing problem: its text is the status message.
            if (!isError) this.problem ??= message;
          },
        },
        {
          maxBodyLength: isError ? MAX_ERROR_BODY : config.maxResponseBodyBytes,
          maxEventLength: config.maxStreamEventBytes,
          eventFilter: skipTextEvents ? (data, index, name) => safely(() => adapter.eventCarriesSummary!(data, index, name), true) : undefined,
        },
      );
    });
  }

  /** A chunk of the decoded body, exactly as the caller receives it. */
  onChunk(chunk: Uint8Array): void {
    this.observer?.push(chunk);
  }

  /** The body was read to its end. */
  onEnd(): void {
    this.finish(undefined, false);
  }

  /** The caller stopped reading (cancelled the body); normal if the response was already complete. */
  onCancel(): void {
    this.finish(undefined, true);
  }

  /** The request or the body failed (network error, abort, truncated body). */
  onError(error: unknown): void {
    this.finish(error, false);
  }

  /** The response object was garbage-collected before its body was read to the end. */
  onAbandoned(): void {
    if (this.finished) return;
    this.problem ??= 'the response body was never read to its end';
    this.finish(undefined, true);
  }

  private framingFor(contentType: string | undefined): StreamFraming {
    const type = contentType?.toLowerCase() ?? '';
    if (type.includes('text/event-stream')) return 'sse';
    if (type.includes('ndjson') || type.includes('jsonl')) return 'ndjson';
    if (this.parsed?.stream && this.match.adapter.streamFraming) {
      return safely(() => this.match.adapter.streamFraming?.(this.request) ?? 'json', 'json');
    }
    return 'json';
  }

  private finish(error: unknown, cancelled: boolean): void {
    if (this.finished) return;
    this.finished = true;
    const endTime = now();
    // The caller is waiting on the very read that ended the body; parsing a large JSON body,
    // pricing and estimating tokens happen after it has its bytes.
    const { completions } = this.env;
    const completion = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.complete(error, cancelled, endTime))
      .catch((failure: unknown) => {
        diag.error('llm-otel: failed to complete an LLM span', failure);
        safely(() => this.span.end(endTime), undefined);
      })
      .finally(() => completions.delete(completion));
    completions.add(completion);
  }

  private async complete(error: unknown, cancelled: boolean, endTime: number): Promise<void> {
    this.observer?.end();
    const response = this.accumulator ? this.accumulator.finish() : undefined;
    const attributes: Attributes = {};
    const responseModel = response?.model;
    if (response) addResponseAttributes(attributes, response);
    if (!this.parsed?.model && responseModel) {
      // Azure deployments and some proxies name no model in the request.
      this.span.updateName(`${this.parsed?.operation ?? 'chat'} ${responseModel}`);
    }
    if (this.firstEventAt !== undefined && this.parsed?.stream) {
      attributes[semconv.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = (this.firstEventAt - this.startTime) / 1000;
    }
    if (this.observer && this.parsed?.stream) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_EVENT_COUNT] = this.observer.eventCount;
    if (this.observer?.truncated) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_TRUNCATED] = true;

    const failed = this.recordOutcome(attributes, error, cancelled, response);
    // Semconv (semantic-conventions-genai#363): a generation that ended abnormally has finish reason
    // `error`; a stream that ended with none (cut, cancelled, failed) did.
    if (this.parsed?.stream && !attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]) {
      attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = ['error'];
    }
    const pricedModel = responseModel ?? this.parsed?.model;
    const measured = failed ? exactUsage(response) : await this.usageOrEstimate(attributes, response, pricedModel);
    const cost = measured ? this.addUsageAndCost(attributes, measured.usage, pricedModel, response?.serviceTier ?? this.parsed?.serviceTier) : undefined;
    if (this.env.config.captureContent && response?.outputMessages) {
      attributes[semconv.ATTR_GEN_AI_OUTPUT_MESSAGES] = JSON.stringify(response.outputMessages);
    }
    if (response?.outputTruncated) attributes[semconv.ATTR_LLM_OTEL_CONTENT_TRUNCATED] = true;
    if (this.problem) attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = this.problem;
    this.span.setAttributes(attributes);
    this.span.end(endTime);
    this.recordMetrics(attributes, endTime, failed, measured, cost);
    // The application may keep the Response (and through its stream, this call) long after reading
    // it: drop what we collected so it does not keep our copy of the body alive.
    this.observer = undefined;
    this.accumulator = undefined;
  }

  /** Sets error attributes and status; returns true when the call failed. */
  private recordOutcome(attributes: Attributes, error: unknown, cancelled: boolean, response: ParsedResponse | undefined): boolean {
    if (error !== undefined) {
      attributes[semconv.ATTR_ERROR_TYPE] = networkErrorType(error);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      if (this.statusCode !== 0) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_INCOMPLETE] = true;
      return true;
    }
    if (this.statusCode >= 400) {
      const providerError = this.providerError();
      attributes[semconv.ATTR_ERROR_TYPE] = providerError.type ?? String(this.statusCode);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: providerError.message ?? `HTTP ${this.statusCode}` });
      return true;
    }
    if (response?.error) {
      // The provider reported a failure inside a 2xx response (e.g. Anthropic's SSE `error` event).
      attributes[semconv.ATTR_ERROR_TYPE] = response.error.type ?? semconv.ERROR_TYPE_OTHER;
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: response.error.message ?? 'the provider reported an error' });
      return true;
    }
    const complete = this.observer?.sawDoneMarker || response?.usage !== undefined || (response?.finishReasons?.length ?? 0) > 0;
    if (cancelled && !complete) {
      attributes[semconv.ATTR_LLM_OTEL_RESPONSE_INCOMPLETE] = true;
      attributes[semconv.ATTR_ERROR_TYPE] = 'cancelled';
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: this.problem ?? 'the caller cancelled the response before it ended' });
      return true;
    }
    return false;
  }

  private providerError(): { type?: string; message?: string } {
    const body = this.observer?.wholeBody;
    return safely(() => this.match.adapter.parseError(body, this.statusCode), {});
  }

  private async usageOrEstimate(attributes: Attributes, response: ParsedResponse | undefined, model: string | undefined): Promise<MeasuredUsage | undefined> {
    if (response?.usage && (response.usage.inputTokens !== undefined || response.usage.outputTokens !== undefined)) return exactUsage(response);
    if (!this.parsed?.stream || !this.env.config.estimateMissingUsage || !model || response?.outputTextForEstimate === undefined) {
      return exactUsage(response);
    }
    const estimate = await estimateTokens(model, this.parsed.inputTextsForEstimate?.(), response.outputTextForEstimate);
    if (!estimate) return undefined;
    if ('skipped' in estimate) {
      attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATE_SKIPPED] = estimate.skipped;
      return undefined;
    }
    attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATED] = true;
    attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATE_ENCODING] = estimate.encoding;
    attributes[semconv.ATTR_LLM_OTEL_COST_ESTIMATED] = true;
    return { usage: { inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens }, estimated: true };
  }

  /** Sets the usage, context-window and cost attributes; returns the cost in USD when priced. */
  private addUsageAndCost(attributes: Attributes, usage: Usage, model: string | undefined, serviceTier: string | undefined): number | undefined {
    addUsageAttributes(attributes, usage, this.env.semconv ?? DEFAULT_SEMCONV_STABILITY);
    if (!model) return undefined;
    const lookup = this.env.prices.find(model);
    const window = lookup?.entry.contextWindow;
    if (window) {
      attributes[semconv.ATTR_LLM_OTEL_CONTEXT_WINDOW_SIZE] = window;
      if (usage.inputTokens !== undefined) attributes[semconv.ATTR_LLM_OTEL_CONTEXT_WINDOW_UTILIZATION] = usage.inputTokens / window;
    }
    const priced = this.env.prices.price(model, usage, serviceTier);
    if (!priced) return undefined;
    attributes[semconv.ATTR_GEN_AI_USAGE_COST] = priced.cost;
    attributes[semconv.ATTR_LLM_OTEL_COST_PRICE_TABLE_VERSION] = priced.tableVersion;
    attributes[semconv.ATTR_LLM_OTEL_COST_PRICE_MODEL] = priced.lookup.key;
    if (priced.tier !== 'standard') attributes[semconv.ATTR_LLM_OTEL_COST_TIER] = priced.tier;
    if (priced.lookup.overridden) attributes[semconv.ATTR_LLM_OTEL_COST_OVERRIDDEN] = true;
    return priced.cost;
  }

  private recordMetrics(attributes: Attributes, endTime: number, failed: boolean, measured: MeasuredUsage | undefined, cost: number | undefined): void {
    const metrics = this.env.metrics;
    if (!metrics) return;
    const metricAttributes: Attributes = Object.assign({}, this.baseAttributes);
    const responseModel = attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL];
    if (responseModel !== undefined) metricAttributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = responseModel;
    if (failed) metricAttributes[semconv.ATTR_ERROR_TYPE] = attributes[semconv.ATTR_ERROR_TYPE];
    const streamed = this.parsed?.stream === true;
    const summary: CallSummary = {
      attributes: metricAttributes,
      durationSeconds: (endTime - this.startTime) / 1000,
      timeToFirstChunkSeconds: streamed && this.firstEventAt !== undefined ? (this.firstEventAt - this.startTime) / 1000 : undefined,
      chunkGaps: streamed ? this.chunkGaps : undefined,
      usage: measured?.usage,
      usageEstimated: measured?.estimated ?? false,
      cost,
      estimatesInTokenUsage: this.env.config.estimatedTokensInUsageMetric === true,
    };
    safely(() => metrics.record(summary), undefined);
  }
}

function addResponseAttributes(attributes: Attributes, response: ParsedResponse): void {
  setIfDefined(attributes, semconv.ATTR_GEN_AI_RESPONSE_ID, response.id);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_RESPONSE_MODEL, response.model);
  if (response.finishReasons) attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = response.finishReasons;
  if (response.attributes) Object.assign(attributes, response.attributes);
}

function addInputContent(attributes: Attributes, parsed: ParsedRequest): void {
  const content = parsed.content?.();
  if (content?.inputMessages) attributes[semconv.ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(content.inputMessages);
  if (content?.systemInstructions) attributes[semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(content.systemInstructions);
  // Opt-in with the rest of the content: descriptions and schemas can be long and say what the app does.
  if (content?.toolDefinitions) attributes[semconv.ATTR_GEN_AI_TOOL_DEFINITIONS] = JSON.stringify(content.toolDefinitions);
}

function addContextAttributes(attributes: Attributes, parent: Context): void {
  const genAi = getGenAiContext(parent);
  if (!genAi) return;
  setIfDefined(attributes, semconv.ATTR_GEN_AI_CONVERSATION_ID, genAi.conversationId);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_ID, genAi.agentId);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_NAME, genAi.agentName);
}

function serverPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}

function emptyRequest(): ParsedRequest {
  return { operation: 'chat', stream: false, attributes: {} };
}

function setIfDefined(attributes: Attributes, key: string, value: string | number | undefined): void {
  if (value !== undefined) attributes[key] = value;
}

/** The provider's own usage of a response, when it reported any. */
function exactUsage(response: ParsedResponse | undefined): MeasuredUsage | undefined {
  return response?.usage ? { usage: response.usage, estimated: false } : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

function guard(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    diag.error('llm-otel: instrumentation error (the call itself is unaffected)', error);
  }
}

function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    diag.debug('llm-otel: adapter error', error);
    return fallback;
  }
}
