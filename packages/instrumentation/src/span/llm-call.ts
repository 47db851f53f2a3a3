import { SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { now } from '../clock';
import type { ResolvedConfig } from '../config';
import { ResponseObserver } from '../framing/response-observer';
import { guarded } from '../guard';
import type { PriceBook } from '../pricing/price-book';
import type { LlmRequest, ParsedRequest, ParsedResponse, ResponseAccumulator, StreamFraming } from '../providers/adapter';
import type { EndpointMatch } from '../providers/registry';
import { fingerprintLater } from '../fingerprint/deferred-fingerprint';
import * as semconv from '../semconv';
import { BodyEndings, MAX_ERROR_BODY } from './body-endings';
import type { CallMetrics } from './call-metrics';
import { recordOutcome } from './call-outcome';
import { summariseCall } from './call-summary';
import { ChunkGaps } from './chunk-gaps';
import { completeAfterCallerRead } from './deferred-completion';
import { DEFAULT_SEMCONV_STABILITY, type SemconvStability } from './semconv-stability';
import { baseAttributes, startAttributes } from './start-attributes';
import { addUsageAndCost, exactUsage, type MeasuredUsage, usageOrEstimate } from './usage-and-cost';

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

export type HookName = 'fetch' | 'undici';

/**
 * The span of one HTTP attempt to an LLM endpoint, from the request to the last byte of the
 * response. Hooks call it in lifecycle order (start, response, chunks, end | cancel | error); the
 * adapter does the parsing. Nothing here throws into the hook: every entry point is guarded.
 */
export class LlmCall extends BodyEndings {
  private accumulator?: ResponseAccumulator;
  private statusCode = 0;
  private firstEventAt?: number;
  private chunkGaps?: ChunkGaps;

  private constructor(
    private readonly env: CallEnvironment,
    private readonly match: EndpointMatch,
    // Both let go of the request body once the response has started (see release()).
    private request: LlmRequest | undefined,
    private parsed: ParsedRequest | undefined,
    private readonly span: Span,
    private readonly startTime: number,
    private readonly baseAttributes: Attributes,
    private readonly parent: Context,
  ) {
    super('reading a response body');
  }

  /**
   * Starts the span, or returns undefined when the request is not an LLM call after all (an unknown
   * host whose body does not have the protocol's shape).
   */
  static start(env: CallEnvironment, match: EndpointMatch, request: LlmRequest, hook: HookName, startTime: number, parent: Context): LlmCall | undefined {
    if (match.needsBodyCheck && !guarded('checking a request body', () => match.adapter.looksLikeRequest(request.body), false)) return undefined;
    let parsed: ParsedRequest | undefined;
    let parseError: string | undefined;
    try {
      parsed = match.adapter.parseRequest(request);
    } catch (error) {
      parseError = `request parsing failed: ${(error as Error).message}`;
    }
    const operation = parsed?.operation ?? 'chat';
    const model = parsed?.model;
    const base = baseAttributes(match, request, parsed);
    const attributes = startAttributes(base, { match, request, parsed, parseError, hook, parent, captureContent: env.config.captureContent });

    const span = env.tracer.startSpan(model ? `${operation} ${model}` : operation, { kind: SpanKind.CLIENT, attributes, startTime }, parent);
    fingerprintLater(span, match.adapter, model, request, env.config.fingerprintKey);
    return new LlmCall(env, match, request, parsed, span, startTime, base, parent);
  }

  /** `parent` with this call's span in it: the context the request is sent under (hooks/trace-context.ts). */
  contextIn(parent: Context): Context {
    return trace.setSpan(parent, this.span);
  }

  /** Response headers arrived. */
  onResponse(statusCode: number, contentType: string | undefined): void {
    guarded(
      'observing a response',
      () => {
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
            onEvent: streamed && this.env.metrics ? () => (this.chunkGaps ??= new ChunkGaps()).onChunk(performance.now()) : undefined,
            onProblem: (message) => {
              // An error page that is not JSON is not a parsing problem: its text is the status message.
              if (!isError) this.problem ??= message;
            },
          },
          {
            maxBodyLength: isError ? MAX_ERROR_BODY : config.maxResponseBodyBytes,
            maxEventLength: config.maxStreamEventBytes,
            salvage: adapter.salvage,
            eventFilter: skipTextEvents
              ? (data, index, name) => guarded('filtering an event', () => adapter.eventCarriesSummary!(data, index, name), true)
              : undefined,
          },
        );
        this.release(keepOutputText);
      },
      undefined,
    );
  }

  /**
   * Lets go of the request once the response has started: its parsed JSON (a whole conversation,
   * tools included) was kept alive for the length of a stream by the request and by the parsed
   * request's lazy content and estimate readers. Only what the end of the call reads stays, and the
   * estimate reader only when an estimate may be needed.
   */
  private release(keepOutputText: boolean): void {
    this.request = undefined;
    const parsed = this.parsed;
    if (!parsed) return;
    this.parsed = {
      operation: parsed.operation,
      model: parsed.model,
      stream: parsed.stream,
      streamReportsUsage: parsed.streamReportsUsage,
      serviceTier: parsed.serviceTier,
      attributes: parsed.attributes,
      inputTextsForEstimate: keepOutputText ? parsed.inputTextsForEstimate : undefined,
    };
  }

  /** A chunk of the decoded body, exactly as the caller receives it. */
  onChunk(chunk: Uint8Array): void {
    this.observer?.push(chunk);
  }

  private framingFor(contentType: string | undefined): StreamFraming {
    const type = contentType?.toLowerCase() ?? '';
    if (type.includes('text/event-stream')) return 'sse';
    if (type.includes('ndjson') || type.includes('jsonl')) return 'ndjson';
    if (this.parsed?.stream && this.match.adapter.streamFraming) {
      const request = this.request;
      if (!request) return 'json';
      return guarded('choosing a stream framing', () => this.match.adapter.streamFraming?.(request) ?? 'json', 'json');
    }
    return 'json';
  }

  protected finish(error: unknown, cancelled: boolean): void {
    if (this.finished) return;
    this.finished = true;
    const endTime = now();
    // The caller is waiting on the very read that ended the body; parsing a large JSON body,
    // pricing and estimating tokens happen after it has its bytes.
    completeAfterCallerRead(this.env.completions, this.span, endTime, 'an LLM span', () => this.complete(error, cancelled, endTime));
  }

  /** Synchronous unless a token estimate is needed (the span then ends when it is ready). */
  private complete(error: unknown, cancelled: boolean, endTime: number): void | Promise<void> {
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

    const observer = this.observer;
    const errorType = recordOutcome(this.span, attributes, {
      error,
      cancelled,
      statusCode: this.statusCode,
      response,
      sawDoneMarker: observer?.sawDoneMarker === true,
      problem: this.problem,
      providerError: () => guarded('reading a provider error', () => this.match.adapter.parseError(observer?.wholeBody, this.statusCode), {}),
    });
    const failed = errorType !== undefined;
    // Semconv (semantic-conventions-genai#363): a generation that ended abnormally has finish reason
    // `error`; a stream that ended with none (cut, cancelled, failed) did.
    if (this.parsed?.stream && !attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]) {
      attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = ['error'];
    }
    const pricedModel = responseModel ?? this.parsed?.model;
    const measured = failed ? exactUsage(response) : usageOrEstimate(attributes, this.parsed, response, pricedModel, this.env.config.estimateMissingUsage);
    if (measured instanceof Promise) return measured.then((estimated) => this.end(attributes, response, errorType, endTime, estimated));
    this.end(attributes, response, errorType, endTime, measured);
  }

  /** The usage, cost and content attributes, the completion listener, the span's end and the metrics. */
  private end(
    attributes: Attributes,
    response: ParsedResponse | undefined,
    errorType: string | undefined,
    endTime: number,
    measured: MeasuredUsage | undefined,
  ): void {
    const { config, prices } = this.env;
    const responseModel = response?.model;
    const pricedModel = responseModel ?? this.parsed?.model;
    const serviceTier = response?.serviceTier ?? this.parsed?.serviceTier;
    const stability = this.env.semconv ?? DEFAULT_SEMCONV_STABILITY;
    const cost = measured ? addUsageAndCost(attributes, measured.usage, pricedModel, serviceTier, prices, stability) : undefined;
    if (config.captureContent && response?.outputMessages) {
      attributes[semconv.ATTR_GEN_AI_OUTPUT_MESSAGES] = JSON.stringify(response.outputMessages);
    }
    if (response?.outputTruncated) attributes[semconv.ATTR_LLM_OTEL_CONTENT_TRUNCATED] = true;
    if (this.problem) attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = this.problem;
    this.span.setAttributes(attributes);
    const metrics = this.env.metrics;
    const listener = config.onCallCompleted;
    const summary =
      metrics || (listener && measured)
        ? summariseCall({
            baseAttributes: this.baseAttributes,
            responseModel,
            errorType,
            startTime: this.startTime,
            endTime,
            streamed: this.parsed?.stream === true,
            firstEventAt: this.firstEventAt,
            chunkGaps: this.chunkGaps,
            usage: measured?.usage,
            usageEstimated: measured?.estimated ?? false,
            cost,
            estimatesInTokenUsage: config.estimatedTokensInUsageMetric === true,
            context: this.parent,
          })
        : undefined;
    // Before the span ends, so that what the listener adds (a budget alert's event) is on this span.
    if (listener && summary?.usage) guarded('telling a completion listener', () => listener(summary, this.span), undefined);
    this.span.end(endTime);
    if (metrics && summary) guarded('recording metrics', () => metrics.record(summary), undefined);
    // The application may keep the Response (and through its stream, this call) long after reading
    // it: drop what we collected so it does not keep our copy of the body alive.
    this.observer = undefined;
    this.accumulator = undefined;
  }
}

function addResponseAttributes(attributes: Attributes, response: ParsedResponse): void {
  if (response.id !== undefined) attributes[semconv.ATTR_GEN_AI_RESPONSE_ID] = response.id;
  if (response.model !== undefined) attributes[semconv.ATTR_GEN_AI_RESPONSE_MODEL] = response.model;
  if (response.finishReasons) attributes[semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = response.finishReasons;
  if (response.toolCallCount !== undefined) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_TOOL_CALL_COUNT] = response.toolCallCount;
  if (response.attributes) Object.assign(attributes, response.attributes);
}

function emptyRequest(): ParsedRequest {
  return { operation: 'chat', stream: false, attributes: {} };
}
