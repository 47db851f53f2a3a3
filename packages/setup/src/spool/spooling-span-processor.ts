import { diag } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { encodeBatchFile } from './batch-file-format';
import { DropReport } from './drop-report';
import type { BatchTransport } from './export-outcome';
import { GrpcBatchTransport } from './grpc-batch-transport';
import { HttpBatchTransport } from './http-batch-transport';
import { adoptOrphanedSpools } from './orphan-adoption';
import { claimSpoolDirectory } from './spool-directory-claim';
import { observeSpool } from './spool-instruments';
import type { SpoolLock } from './spool-lock';
import { type ResolvedSpoolProcessorOptions, type SpoolProcessorOptions, resolveSpoolProcessorOptions } from './spool-options';
import { SpoolSender } from './spool-sender';
import { SpoolCounters, type SpoolStats } from './spool-stats';
import { SpoolStore } from './spool-store';

/*
 * Memory and blocking policy. Three wishes pull apart here: no span dropped before the disk, onEnd
 * cheap and free of I/O, memory bounded. The queue resolves them like this:
 *
 * - onEnd appends the span to an array (O(1)). At maxBatchSpans queued, a write is scheduled for the
 *   next turn of the event loop; otherwise the interval timer writes what is queued.
 * - A write takes up to maxBatchSpans spans off the queue, serializes them (so only their compact OTLP
 *   bytes stay in memory) and writes the file asynchronously, one batch at a time.
 * - Only when the queue holds maxQueueSpans spans (the application ended that many since the last
 *   turn of the event loop, e.g. a synchronous loop, or the disk is slower than the span rate) does
 *   onEnd spill: it writes the oldest maxBatchSpans spans synchronously, file + fsync + rename, before
 *   returning. That is blocking I/O on the caller's stack, once per maxBatchSpans spans beyond the
 *   bound; it is what keeps memory bounded without dropping: while onEnd blocks, no more spans can be
 *   made. Nothing is ever dropped in memory; drops happen only at the disk bounds, counted.
 *
 * Memory: at most maxQueueSpans ended spans plus one serialized batch being written.
 */
export class SpoolingSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedSpoolProcessorOptions;
  private readonly counters = new SpoolCounters();
  private readonly drops = new DropReport();
  private readonly lock: SpoolLock;
  private readonly store: SpoolStore;
  private readonly transport: BatchTransport;
  private readonly sender: SpoolSender;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly adoptTimer: NodeJS.Timeout;
  private readonly stopObserving: (() => void) | undefined;
  private queue: ReadableSpan[] = [];
  private spansBeingWritten = 0;
  private writing: Promise<void> | undefined;
  private writeScheduled = false;
  private closed = false;
  private shuttingDown: Promise<void> | undefined;
  private spilledBatches = 0;

  /** Throws (at set-up, never later) when the options are unusable or the directory cannot be locked. */
  constructor(options: SpoolProcessorOptions) {
    this.options = resolveSpoolProcessorOptions(options);
    this.lock = claimSpoolDirectory(this.options.dir);
    try {
      this.store = new SpoolStore(this.lock.dir, this.options.maxBytes, this.options.maxAgeMillis, this.counters, this.drops);
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.transport =
      this.options.protocol === 'grpc'
        ? new GrpcBatchTransport(this.options.endpoint, this.options.headers)
        : new HttpBatchTransport(this.options.endpoint, this.options.headers);
    this.sender = new SpoolSender(this.store, this.transport, this.options);
    this.adoptOrphans();
    this.sender.wake();
    this.flushTimer = setInterval(() => this.scheduleWrite(), this.options.flushIntervalMillis);
    this.flushTimer.unref();
    this.adoptTimer = setInterval(() => this.adoptOrphans(), this.options.adoptIntervalMillis);
    this.adoptTimer.unref();
    this.stopObserving = this.options.meter ? observeSpool(this.options.meter, () => this.stats()) : undefined;
  }

  /** The directory this process writes: the configured one, or `<dir>/pid-<pid>` if another process owns it. */
  get directory(): string {
    return this.lock.dir;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) {
      this.counters.droppedSpans += 1;
      diag.debug('llm-otel spool: span ended after shutdown; dropped');
      return;
    }
    this.queue.push(span);
    if (this.queue.length >= this.options.maxQueueSpans) this.spill();
    else if (this.queue.length >= this.options.maxBatchSpans) this.scheduleWrite();
  }

  /** Resolves once every span ended so far is on disk and, if the backend answers, sent (deadline: timeoutMillis). */
  async forceFlush(): Promise<void> {
    try {
      await this.writeQueue();
      await this.sender.drain(this.options.timeoutMillis);
    } catch (error) {
      diag.error(`llm-otel spool: forceFlush failed: ${(error as Error).message}`);
    }
  }

  /** Flushes as forceFlush does, then stops the sender and releases the directory. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= this.stop();
    return this.shuttingDown;
  }

  stats(): SpoolStats {
    return {
      queuedSpans: this.queue.length + this.spansBeingWritten,
      spoolBytes: this.store.bytesOnDisk,
      spoolFiles: this.store.fileCount,
      droppedSpans: this.counters.droppedSpans,
      droppedBatches: this.counters.droppedBatches,
      sentBatches: this.counters.sentBatches,
      rejectedBatches: this.counters.rejectedBatches,
      quarantinedFiles: this.counters.quarantinedFiles,
    };
  }

  /** How often onEnd had to write synchronously (see the policy above); for benchmarks and tuning. */
  get synchronousSpills(): number {
    return this.spilledBatches;
  }

  private async stop(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    // Spans that ended while the flush was waiting on the network.
    await this.writeQueue().catch(() => undefined);
    clearInterval(this.flushTimer);
    clearInterval(this.adoptTimer);
    this.stopObserving?.();
    this.sender.stop();
    await this.transport.close().catch(() => undefined);
    this.drops.stop();
    this.lock.release();
  }

  private spill(): void {
    try {
      const batch = this.queue.splice(0, this.options.maxBatchSpans);
      this.spilledBatches += 1;
      const createdMillis = Date.now();
      const file = this.encode(batch, createdMillis);
      if (file && this.store.writeBatchSync(file, batch.length, createdMillis)) this.sender.wake();
    } catch (error) {
      diag.error(`llm-otel spool: spill failed: ${(error as Error).message}`);
    }
  }

  private scheduleWrite(): void {
    if (this.writeScheduled || this.queue.length === 0) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      this.writeQueue().catch((error: unknown) => diag.error(`llm-otel spool: write failed: ${(error as Error).message}`));
    });
  }

  /** One writer at a time; it keeps going until the queue is empty, so awaiting it covers every span queued before. */
  private writeQueue(): Promise<void> {
    this.writing ??= this.writeUntilEmpty().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeUntilEmpty(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchSpans);
      this.spansBeingWritten += batch.length;
      try {
        await waitForAsyncResourceAttributes(batch);
        const createdMillis = Date.now();
        const file = this.encode(batch, createdMillis);
        if (file && (await this.store.writeBatch(file, batch.length, createdMillis))) this.sender.wake();
      } finally {
        this.spansBeingWritten -= batch.length;
      }
    }
  }

  private encode(batch: ReadableSpan[], createdMillis: number): Uint8Array | undefined {
    let payload: Uint8Array | undefined;
    try {
      payload = ProtobufTraceSerializer.serializeRequest(batch);
    } catch (error) {
      diag.error(`llm-otel spool: could not serialize ${batch.length} spans: ${(error as Error).message}`);
    }
    if (payload === undefined) {
      this.counters.droppedBatches += 1;
      this.counters.droppedSpans += batch.length;
      this.drops.record(batch.length, 'serialization failed');
      return undefined;
    }
    return encodeBatchFile(payload, batch.length, createdMillis);
  }

  private adoptOrphans(): void {
    try {
      if (adoptOrphanedSpools(this.options.dir, this.store) > 0) this.sender.wake();
    } catch (error) {
      diag.error(`llm-otel spool: adopting orphaned spools failed: ${(error as Error).message}`);
    }
  }
}

/** Resource detectors may still be resolving; the stock BatchSpanProcessor waits for them too. */
async function waitForAsyncResourceAttributes(batch: readonly ReadableSpan[]): Promise<void> {
  const pending = new Set<Promise<void>>();
  for (const span of batch) {
    const resource = span.resource;
    if (resource.asyncAttributesPending && resource.waitForAsyncAttributes) pending.add(resource.waitForAsyncAttributes());
  }
  if (pending.size > 0) await Promise.all(pending);
}

/** Builds the durable-export span processor; see README.md (Durable export). Throws at set-up for unusable options. */
export function createSpoolingSpanProcessor(options: SpoolProcessorOptions): SpoolingSpanProcessor {
  return new SpoolingSpanProcessor(options);
}
