import type { Context } from '@opentelemetry/api';
import type { BufferConfig, ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { IntegrityChain, IntegrityChainSpanProcessor, newBatchSpanProcessor, SigningSpanExporter, type ChainKey } from '@llm-otel/audit';
import { endOpenAgentSpans, flushPendingLlmSpans } from '@llm-otel/instrumentation';
import { IdentifierPseudonymisingSpanProcessor, PiiMaskingSpanProcessor, type PiiMaskingOptions, type PseudonymKey } from '@llm-otel/pii';
import { refuseAuditKeyAsPseudonymKey } from './pseudonym-key-check';
import { UsageDeduplicatingSpanProcessor } from './usage-deduplication';

export interface LlmSpanProcessorOptions {
  /** Masking options of `PiiMaskingSpanProcessor`, or `false` for no masking. Default: masking on, default detectors. */
  pii?: PiiMaskingOptions | false;
  /**
   * How long `forceFlush()` and `shutdown()` wait for LLM spans still completing (end-of-call
   * parsing, token estimates for streams without usage) before flushing the queue. Default 5000.
   */
  pendingSpanTimeoutMillis?: number;
  /**
   * The integrity chain (docs/integrity-chain.md) over what is exported, after masking. With a key, pass
   * the exporter instead of a queue (`new LlmSpanProcessor(exporter, { audit: { key } })`): its batches
   * must be signed right before they are serialised, which only the queue's exporter can do. With a
   * `chain`, the queue you pass must sign with it (a `BatchSpanProcessor` around a `SigningSpanExporter`
   * of that chain, or a queue that signs itself, such as llm-otel's spool). Default: off.
   */
  audit?: LlmAuditOptions | false;
  /**
   * The key that turns `user.id` / `session.id` into pseudonyms (`<USER:keyId:hex>`) before export: at
   * least 32 bytes, never the audit key (refused). Without one they are exported as `<USER>` /
   * `<SESSION>`. Applies with `pii: false` too: the ids are never exported raw.
   */
  pseudonyms?: PseudonymKey;
  /** The BatchSpanProcessor settings when an exporter is passed instead of a queue. */
  batch?: BufferConfig;
}

export type LlmAuditOptions = (
  | { /** At least 32 bytes; never the pseudonym key. */ key: string | Uint8Array | ChainKey /** Default 'default'. */; keyId?: string }
  | { chain: IntegrityChain }
) & {
  /** A signed checkpoint span this often while spans end; default 60000, 0 for none (the final one is always written). */
  checkpointIntervalMillis?: number;
};

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
  /** The integrity chain, when `audit` is on. */
  readonly chain: IntegrityChain | undefined;

  /** `target`: your queue processor (e.g. a BatchSpanProcessor), or an exporter, which then gets a BatchSpanProcessor of its own. */
  constructor(target: SpanProcessor | SpanExporter, options: LlmSpanProcessorOptions = {}) {
    const audit = options.audit || undefined;
    if (options.pseudonyms && audit && 'key' in audit) refuseAuditKeyAsPseudonymKey(options.pseudonyms.key, audit.key);
    this.chain = audit && ('chain' in audit ? audit.chain : new IntegrityChain(audit));
    const queue = queueFor(target, options.batch, this.chain, audit !== undefined && !('chain' in audit));
    this.pendingSpanTimeoutMillis = readTimeout(options.pendingSpanTimeoutMillis);
    this.head = pipelineStages(options, this.chain).reduceRight<SpanProcessor>((next, stage) => stage(next), queue);
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
    // Agent and tool spans still open (a run cut short) end now, so their LLM spans keep their parents.
    endOpenAgentSpans();
    await flushPendingLlmSpans(this.pendingSpanTimeoutMillis);
    await this.head.shutdown();
  }
}

/**
 * The stages in pipeline order, first to see a span first. De-duplication renames usage on a view of
 * the span and masking wraps that view, so nothing the de-duplication exposes escapes masking. A new
 * stage (such as an integrity chain over what is exported, after masking) goes in this list.
 */
function pipelineStages(options: LlmSpanProcessorOptions, chain: IntegrityChain | undefined): Stage[] {
  const { pii = {} } = options;
  const pseudonyms = options.pseudonyms ?? (pii === false ? undefined : pii.pseudonyms);
  const stages: Stage[] = [(next) => new UsageDeduplicatingSpanProcessor(next)];
  if (pii !== false) stages.push((next) => new PiiMaskingSpanProcessor(next, { ...pii, pseudonyms }));
  else stages.push((next) => new IdentifierPseudonymisingSpanProcessor(next, pseudonyms));
  // Last: it numbers the very object the queue hands its exporter (the masked view), and its shutdown
  // puts the final checkpoint behind every span already queued.
  if (chain) {
    const { checkpointIntervalMillis } = options.audit || {};
    stages.push((next) => new IntegrityChainSpanProcessor(chain, next, { checkpointIntervalMillis }));
  }
  return stages;
}

/**
 * The queue the pipeline ends in. An exporter gets a BatchSpanProcessor, signing when the chain is on;
 * a queue processor with a key of our own cannot be signed inside, so that is refused: every span would
 * be numbered and none signed, and the final checkpoint would declare them all lost.
 */
function queueFor(target: SpanProcessor | SpanExporter, batch: BufferConfig | undefined, chain: IntegrityChain | undefined, ownChain: boolean): SpanProcessor {
  if (isSpanProcessor(target)) {
    if (ownChain) {
      throw new TypeError(
        'llm-otel: with audit: { key }, pass the exporter, not a queue (new LlmSpanProcessor(exporter, { audit })), so that its batches are signed; or pass audit: { chain } and a queue whose exporter is a SigningSpanExporter of that chain',
      );
    }
    return target;
  }
  if (typeof (target as Partial<SpanExporter> | undefined)?.export !== 'function') {
    throw new TypeError('llm-otel: LlmSpanProcessor wraps a SpanProcessor or a SpanExporter, e.g. new LlmSpanProcessor(new BatchSpanProcessor(exporter))');
  }
  return newBatchSpanProcessor(chain ? new SigningSpanExporter(chain, target) : target, batch);
}

function isSpanProcessor(target: SpanProcessor | SpanExporter): target is SpanProcessor {
  const candidate = target as Partial<SpanProcessor> | undefined;
  return typeof candidate?.onEnd === 'function' && typeof candidate.shutdown === 'function';
}

function readTimeout(value: number | undefined): number {
  if (value === undefined) return DEFAULT_PENDING_SPAN_TIMEOUT_MILLIS;
  if (!Number.isFinite(value) || value < 0) {
    // Only a number is quoted: a string here (an untyped caller passing the wrong variable) may be a secret.
    throw new RangeError(
      `llm-otel: pendingSpanTimeoutMillis must be a finite number ≥ 0 (got ${typeof value === 'number' ? String(value) : `a ${typeof value}`})`,
    );
  }
  return value;
}
