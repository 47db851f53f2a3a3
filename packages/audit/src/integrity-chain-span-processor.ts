import { TraceFlags, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { IntegrityChain } from './integrity-chain';

export interface IntegrityChainSpanProcessorOptions {
  /** A signed checkpoint span this often while spans are ending; 0 turns periodic checkpoints off. Default 60 s. */
  checkpointIntervalMillis?: number;
}

const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;

/**
 * The chain's stage in the span pipeline (de-duplicate → mask → chain → queue). On span end it only
 * assigns the sequence number (no crypto, no reads of the content, so lazy masking stays lazy); the
 * MACs are computed at export time by `SigningSpanExporter` or by whoever serialises the batch (the
 * spool), through `IntegrityChain.sign`. It adds checkpoint spans: periodically, and a final one on
 * shutdown that marks the chain as ended cleanly.
 */
export class IntegrityChainSpanProcessor implements SpanProcessor {
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(
    readonly chain: IntegrityChain,
    private readonly downstream: SpanProcessor,
    options: IntegrityChainSpanProcessorOptions = {},
  ) {
    const interval = options.checkpointIntervalMillis ?? DEFAULT_CHECKPOINT_INTERVAL_MS;
    if (!Number.isFinite(interval) || interval < 0) throw new TypeError('llm-otel audit: checkpointIntervalMillis must be a number ≥ 0');
    if (interval > 0) {
      this.timer = setInterval(() => this.periodicCheckpoint(), interval);
      this.timer.unref();
    }
  }

  onStart(span: Span, parentContext: Context): void {
    this.downstream.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // A span that is not sampled is never exported (the queue drops it): numbering it would be a false gap.
    if (!this.finished && (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0) this.chain.number(span);
    this.downstream.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  async shutdown(): Promise<void> {
    if (!this.finished) {
      this.finished = true;
      if (this.timer) clearInterval(this.timer);
      // The final checkpoint goes behind every span already queued, so it is signed last.
      this.downstream.onEnd(this.chain.checkpointSpan('final'));
    }
    return this.downstream.shutdown();
  }

  private periodicCheckpoint(): void {
    if (this.finished || !this.chain.hasNewSpans) return;
    this.downstream.onEnd(this.chain.checkpointSpan('periodic'));
  }
}
