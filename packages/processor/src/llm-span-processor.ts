import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { flushPendingLlmSpans } from '@llm-otel/instrumentation';
import { PiiMaskingSpanProcessor, type PiiMaskingOptions } from '@llm-otel/pii';
import { UsageDeduplicatingSpanProcessor } from './usage-deduplication';

export interface LlmSpanProcessorOptions {
  /** Masking options of `PiiMaskingSpanProcessor`, or `false` for no masking. Default: masking on, default detectors. */
  pii?: PiiMaskingOptions | false;
  /**
   * How long `forceFlush()` and `shutdown()` wait for LLM spans still completing (end-of-call
   * parsing, token estimates for streams without usage) before flushing the queue. Default 5000.
   */
  pendingSpanTimeoutMillis?: number;
}

/** One step of the pipeline: wraps the processor that comes after it. */
type Stage = (next: SpanProcessor) => SpanProcessor;

const DEFAULT_PENDING_SPAN_TIMEOUT_MILLIS = 5000;

/**
 * The llm-otel span pipeline in front of your own queue processor (a `BatchSpanProcessor`, or any
 * other): usage de-duplication → PII masking → your processor. On `forceFlush()` and `shutdown()` it
 * first waits for the LLM spans of calls that have ended but whose spans are still completing, so a
 * NodeSDK's `sdk.shutdown()` exports them instead of losing them; it needs no reference to the
 * instrumentation (the pending spans of every `LlmInstrumentation` in the process are awaited).
 */
export class LlmSpanProcessor implements SpanProcessor {
  private readonly head: SpanProcessor;
  private readonly pendingSpanTimeoutMillis: number;

  constructor(queue: SpanProcessor, options: LlmSpanProcessorOptions = {}) {
    if (typeof queue?.onEnd !== 'function' || typeof queue.shutdown !== 'function') {
      throw new TypeError('llm-otel: LlmSpanProcessor wraps a SpanProcessor, e.g. new LlmSpanProcessor(new BatchSpanProcessor(exporter))');
    }
    this.pendingSpanTimeoutMillis = readTimeout(options.pendingSpanTimeoutMillis);
    this.head = pipelineStages(options).reduceRight<SpanProcessor>((next, stage) => stage(next), queue);
  }

  onStart(span: Span, parentContext: Context): void {
    this.head.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.head.onEnd(span);
  }

  async forceFlush(): Promise<void> {
    await flushPendingLlmSpans(this.pendingSpanTimeoutMillis);
    await this.head.forceFlush();
  }

  async shutdown(): Promise<void> {
    await flushPendingLlmSpans(this.pendingSpanTimeoutMillis);
    await this.head.shutdown();
  }
}

/**
 * The stages in pipeline order, first to see a span first. De-duplication renames usage on a view of
 * the span and masking wraps that view, so nothing the de-duplication exposes escapes masking. A new
 * stage (such as an integrity chain over what is exported, after masking) goes in this list.
 */
function pipelineStages(options: LlmSpanProcessorOptions): Stage[] {
  const { pii = {} } = options;
  const stages: Stage[] = [(next) => new UsageDeduplicatingSpanProcessor(next)];
  if (pii !== false) stages.push((next) => new PiiMaskingSpanProcessor(next, pii));
  return stages;
}

function readTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_PENDING_SPAN_TIMEOUT_MILLIS;
  if (!Number.isFinite(value) || value < 0) {
    // Only a number is quoted: a string here (an untyped caller passing the wrong variable) may be a secret.
    throw new RangeError(`llm-otel: pendingSpanTimeoutMillis must be a finite number ≥ 0 (got ${typeof value === 'number' ? String(value) : `a ${typeof value}`})`);
  }
  return value;
}
