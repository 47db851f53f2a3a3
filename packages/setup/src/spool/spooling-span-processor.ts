import { TraceFlags, diag } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { encodeBatchFile } from './batch-file-format';
import type { NewBatch } from './batch-store';
import { DropReport } from './drop-report';
import type { BatchTransport } from './export-outcome';
import { GrpcBatchTransport } from './grpc-batch-transport';
import { HttpBatchTransport } from './http-batch-transport';
import { MEMORY_FALLBACK_MAX_BYTES, MemoryBatchStore } from './memory-store';
import { adoptOrphanedSpools } from './orphan-adoption';
import { groupByResource, isPending, settle } from './pending-resource';
import { type OpenSpool, ResilientStore } from './resilient-store';
import { ResourceFixer } from './resource-fixer';
import { claimSpoolDirectory } from './spool-directory-claim';
import { observeSpool } from './spool-instruments';
import { type ResolvedSpoolProcessorOptions, type SpoolProcessorOptions, resolveSpoolProcessorOptions } from './spool-options';
import { SpoolSender } from './spool-sender';
import { SpoolCounters, type SpoolStats } from './spool-stats';
import { SpoolChain, removeChainHead } from './spool-chain';
import { SpoolStore } from './spool-store';
import { preloadProtobufTraceSerializer, traceProtobufSerializer } from '../otlp/trace-serializer';

/*
 * Memory and blocking policy. Three wishes pull apart here: no span dropped before the disk, onEnd
 * cheap and free of I/O, memory bounded. The queue resolves them like this:
 *
 * - onEnd appends the span to an array (O(1)); spans that are not sampled are skipped, as the
 *   BatchSpanProcessor skips them. At maxBatchSpans queued, a write is scheduled for the next turn of the
 *   event loop; otherwise the interval timer writes what is queued.
 * - A write takes up to maxBatchSpans spans off the queue, waits (bounded) for asynchronous resource
 *   attributes, serializes the spans (so only their compact OTLP bytes stay in memory) and writes the
 *   file asynchronously, one batch at a time.
 * - Only when the queue holds maxQueueSpans spans (the application ended that many since the last
 *   turn of the event loop, e.g. a synchronous loop, or the disk is slower than the span rate) does
 *   onEnd spill: it writes the oldest maxBatchSpans queued spans synchronously, file + fsync + rename,
 *   before returning, and before them whatever the asynchronous writer holds and has not made durable
 *   (the batch it waits with, or the batch it is writing), so that no batch is durable before an older
 *   one (spill()). That is blocking I/O on the caller's stack, once per maxBatchSpans spans beyond the
 *   bound; it is what keeps memory bounded without dropping: while onEnd blocks, no more spans can be
 *   made. Nothing is ever dropped in memory; drops happen only at the disk bounds, counted.
 * - On process 'exit' (process.exit(), an uncaught exception, an unhandled rejection: every exit but a
 *   signal's default action, SIGKILL and a crash of Node itself) the queue, and the batch being written,
 *   are written synchronously the same way. The listener only writes: it never changes the exit code
 *   nor how the process ends.
 *
 * Spill and exit writes cannot wait for resource attributes (a spill takes the batch the writer is waiting
 * with too): they group spans by resource and remember a pending one, which the resource fixer puts into
 * the file once it has settled (pending-resource.ts); a signed batch keeps what was known (encodeGroup).
 * The first span of each batch has its resource settled early (waitForAsyncAttributes() is what
 * settles it; nothing else calls it before the first export), so later synchronous writes rarely need that.
 *
 * When the disk fails, batches go to memory instead (resilient-store.ts), and the disk is retried.
 *
 * With the integrity chain on, every path signs the batch right before serialising it (spool-chain.ts).
 *
 * Memory: at most maxQueueSpans ended spans plus one serialized batch being written; degraded, plus
 * at most min(maxBytes, 32 MiB) of serialized batches.
 */
export class SpoolingSpanProcessor implements SpanProcessor {
  private readonly options: ResolvedSpoolProcessorOptions;
  private readonly counters = new SpoolCounters();
  private readonly drops = new DropReport();
  private readonly store: ResilientStore;
  private readonly resources: ResourceFixer;
  private readonly transport: BatchTransport;
  private readonly sender: SpoolSender;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly adoptTimer: NodeJS.Timeout;
  private readonly diskRetryTimer: NodeJS.Timeout;
  private readonly stopObserving: (() => void) | undefined;
  private queue: ReadableSpan[] = [];
  /** Taken off the queue by the asynchronous writer, not yet encoded. */
  private spansBeingEncoded: ReadableSpan[] = [];
  /** Encoded by the asynchronous writer, not yet durable. */
  private batchesBeingWritten: NewBatch[] = [];
  private writing: Promise<void> | undefined;
  private writeScheduled = false;
  private closed = false;
  /** Set by the exit listener: no JavaScript runs after it, and nothing may be written twice. */
  private exited = false;
  private shuttingDown: Promise<void> | undefined;
  private spilledBatches = 0;
  private readonly onExit = () => this.persistAtExit();
  private readonly chain: SpoolChain | undefined;
  private headSeq = 0;

  /** Throws (at set-up, never later) when the options are unusable; a disk that fails degrades to memory instead. */
  constructor(options: SpoolProcessorOptions) {
    this.options = resolveSpoolProcessorOptions(options);
    const { maxBytes, maxAgeMillis, clock } = this.options;
    if (this.options.integrityChain) {
      const chain = new SpoolChain(this.options.integrityChain);
      this.chain = chain;
      this.drops.onLostPayload = (payload) => chain.lostPayload(payload);
    }
    const memory = new MemoryBatchStore(Math.min(maxBytes, MEMORY_FALLBACK_MAX_BYTES), maxAgeMillis, this.counters, this.drops, clock);
    this.store = new ResilientStore(() => this.openDirectory(), memory, this.options.dir);
    this.resources = new ResourceFixer(this.store, () => this.store.entries(), this.options.exportTimeoutMillis);
    // Loaded with the spool rather than at its first write: a spill on `exit` should not be the first require.
    void preloadProtobufTraceSerializer();
    this.transport =
      this.options.protocol === 'grpc'
        ? new GrpcBatchTransport(this.options.endpoint, this.options.headers)
        : new HttpBatchTransport(this.options.endpoint, this.options.headers);
    this.sender = new SpoolSender(this.store, this.transport, this.options, this.counters, this.resources);
    this.adoptOrphans();
    this.sender.wake();
    this.flushTimer = setInterval(() => this.scheduleWrite(), this.options.flushIntervalMillis);
    this.flushTimer.unref();
    this.adoptTimer = setInterval(() => this.adoptOrphans(), this.options.adoptIntervalMillis);
    this.adoptTimer.unref();
    this.diskRetryTimer = setInterval(() => this.retryDisk(), this.options.diskRetryMillis);
    this.diskRetryTimer.unref();
    this.stopObserving = this.options.meter ? observeSpool(this.options.meter, () => this.stats()) : undefined;
    process.on('exit', this.onExit);
  }

  /** The directory this process writes: the configured one, or `<dir>/pid-<pid>` if another process owns it. */
  get directory(): string {
    return this.store.directory;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.closed) {
      this.counters.droppedSpans += 1;
      diag.debug('llm-otel spool: span ended after shutdown; dropped');
      return;
    }
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.queue.push(span);
    // Once per batch, not per span: have a pending resource settled as soon as its detectors answer, so
    // that spans written synchronously later (a spill, the exit) already carry every attribute.
    if (this.queue.length === 1 && isPending(span.resource)) this.resources.watch(span.resource);
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
      queuedSpans: this.queue.length + this.spansBeingEncoded.length + this.batchesBeingWritten.reduce((n, batch) => n + batch.spans, 0),
      spoolBytes: this.store.bytesOnDisk,
      spoolFiles: this.store.fileCount,
      droppedSpans: this.counters.droppedSpans,
      droppedBatches: this.counters.droppedBatches,
      sentBatches: this.counters.sentBatches,
      rejectedBatches: this.counters.rejectedBatches,
      tooLargeSpans: this.counters.tooLargeSpans,
      quarantinedFiles: this.counters.quarantinedFiles,
      degraded: this.store.degraded,
      memoryBatches: this.store.batchesInMemory,
      memoryBytes: this.store.bytesInMemory,
    };
  }

  /** How often onEnd had to write synchronously (see the policy above); for benchmarks and tuning. */
  get synchronousSpills(): number {
    return this.spilledBatches;
  }

  private openDirectory(): OpenSpool {
    const lock = claimSpoolDirectory(this.options.dir);
    try {
      const { maxBytes, maxAgeMillis, clock } = this.options;
      const store = new SpoolStore(lock.dir, maxBytes, maxAgeMillis, this.counters, this.drops, clock);
      // A previous owner of this directory that did not end cleanly: its head is overwritten by our first batch.
      this.recordChainHeadOf(lock.dir);
      return { lock, store };
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  private async stop(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    // Spans that ended while the flush was waiting on the network.
    await this.writeQueue().catch(() => undefined);
    // The chain ended with a final checkpoint, now on disk or sent: no later process has anything to recover.
    if (this.chain?.chain.finished && !this.store.degraded) removeChainHead(this.store.directory);
    process.removeListener('exit', this.onExit);
    clearInterval(this.flushTimer);
    clearInterval(this.adoptTimer);
    clearInterval(this.diskRetryTimer);
    this.stopObserving?.();
    this.sender.stop();
    await this.transport.close().catch(() => undefined);
    this.drops.stop();
    this.store.close();
  }

  /**
   * Writes the oldest spans in memory synchronously, oldest first, as the exit listener does: the batches
   * the asynchronous writer signed and has not made durable yet, the batch it took off the queue and is
   * still waiting with (for resource attributes), then the oldest queued batch. So the order on disk stays
   * the chain's order, which is the order the spans ended, and no batch is durable before an older one:
   * had the queued spans gone first, they would have taken earlier links than the waiting batch, and a
   * crash before the writer's turn would have left the waiting batch's numbers skipped and declared by
   * nothing, or the signed batch being written missing before a durable later link (issue 13). The writer
   * then writes nothing for what was taken: a batch not yet encoded is skipped, one whose write is under
   * way is marked superseded, and the store discards that write's file when it completes.
   */
  private spill(): void {
    try {
      // A batch the store already took (the writer's await has not returned yet) is not written again.
      const unstored = this.batchesBeingWritten.filter((batch) => !batch.handled);
      const signed = unstored.map((batch) => ({ ...batch }));
      for (const batch of unstored) batch.superseded = true;
      this.batchesBeingWritten = [];
      const waiting = this.spansBeingEncoded;
      this.spansBeingEncoded = [];
      const spans = this.queue.splice(0, this.options.maxBatchSpans);
      this.spilledBatches += 1;
      this.writeSync([...signed, ...this.encode(waiting), ...this.encode(spans)]);
    } catch (error) {
      diag.error(`llm-otel spool: spill failed: ${(error as Error).message}`);
    }
  }

  /**
   * Everything still in memory goes to disk before the process ends: the batch the asynchronous writer
   * had not made durable yet (it may then arrive twice: at least once, as after a crash mid-send) and
   * every queued span. Masking is lazy and synchronous, so masked views serialize here as anywhere.
   */
  private persistAtExit(): void {
    if (this.exited) return;
    this.exited = true;
    this.closed = true;
    // A throw from an 'exit' listener would change the exit code: nothing may escape, not even a throw
    // from the application's diag logger. A lock left behind is taken over as stale by the next process.
    for (const step of [() => this.writeEverythingSync(), () => this.drops.stop(), () => this.store.close()]) {
      try {
        step();
      } catch {
        // see above
      }
    }
  }

  private writeEverythingSync(): void {
    try {
      if (this.store.degraded) this.store.tryResume();
      const batches = this.batchesBeingWritten.filter((batch) => !batch.handled);
      const spans = [...this.spansBeingEncoded, ...this.queue];
      this.queue = [];
      // Everything queued is about to be signed and written: the chain ends cleanly here (unless a
      // shutdown already queued its final checkpoint: nothing may follow that one).
      if (this.chain && !this.chain.chain.finished) spans.push(this.chain.chain.checkpointSpan('final'));
      for (let at = 0; at < spans.length; at += this.options.maxBatchSpans) {
        batches.push(...this.encode(spans.slice(at, at + this.options.maxBatchSpans)));
      }
      let written = 0;
      for (const batch of batches) {
        if (!this.store.writeBatchSync(batch)) continue;
        written += batch.spans;
        this.noteChainHead(batch);
      }
      if (written > 0) diag.debug(`llm-otel spool: ${written} spans written to ${this.store.directory} at exit`);
    } catch (error) {
      diag.error(`llm-otel spool: could not write the queue at exit: ${(error as Error).message}`);
    }
  }

  private writeSync(batches: readonly NewBatch[]): void {
    let written = false;
    for (const batch of batches) {
      if (!this.store.writeBatchSync(batch)) continue;
      written = true;
      this.noteChainHead(batch);
    }
    if (written) this.sender.wake();
  }

  private retryDisk(): void {
    if (this.closed || !this.store.degraded) return;
    if (this.store.tryResume()) {
      this.adoptOrphans();
      this.sender.wake();
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
    while (this.queue.length > 0 && !this.exited) {
      const spans = this.queue.splice(0, this.options.maxBatchSpans);
      this.spansBeingEncoded = spans;
      try {
        // As the BatchSpanProcessor does, within its export timeout.
        await waitForAsyncResourceAttributes(spans, this.options.exportTimeoutMillis);
        if (this.exited) return; // the exit listener wrote them
        if (this.spansBeingEncoded !== spans) continue; // a spill wrote them meanwhile (see spill())
        const batches = this.encode(spans);
        this.batchesBeingWritten = [...batches];
        this.spansBeingEncoded = [];
        let written = false;
        for (const batch of batches) {
          if (batch.superseded) break; // a spill wrote it and every later one (see spill())
          if (await this.store.writeBatch(batch)) {
            written = true;
            this.noteChainHead(batch);
          }
          if (this.batchesBeingWritten[0] === batch) this.batchesBeingWritten.shift();
        }
        if (written) this.sender.wake();
      } finally {
        this.spansBeingEncoded = [];
        this.batchesBeingWritten = [];
      }
    }
  }

  /** One batch, or one per resource when a resource is still waiting for attributes (see above). */
  private encode(spans: readonly ReadableSpan[]): NewBatch[] {
    if (spans.length === 0) return [];
    const createdMillis = this.options.clock.wallMillis();
    if (!spans.some((span) => isPending(span.resource))) return this.encodeGroup(spans, createdMillis);
    return groupByResource(spans).flatMap((group) => this.encodeGroup(group, createdMillis));
  }

  private encodeGroup(spans: readonly ReadableSpan[], createdMillis: number): NewBatch[] {
    let payload: Uint8Array | undefined;
    const signing = this.chain?.sign(spans);
    try {
      payload = traceProtobufSerializer.serializeRequest(signing ? signing.signed : (spans as ReadableSpan[]));
    } catch (error) {
      diag.error(`llm-otel spool: could not serialize ${spans.length} spans: ${(error as Error).message}`);
    }
    if (payload === undefined) {
      this.chain?.lostBeforeDisk(spans);
      this.counters.droppedBatches += 1;
      this.counters.droppedSpans += spans.length;
      this.drops.record(spans.length, 'serialization failed');
      return [];
    }
    const batch: NewBatch = { file: encodeBatchFile(payload, spans.length, createdMillis), spans: spans.length, createdMillis };
    if (signing?.end) batch.chainEnd = signing.end;
    const resource = spans[0].resource;
    // A signed batch is never rewritten: the resource is in every MAC, so it keeps what was known when
    // it was signed (only spill and exit writes cannot wait for the detectors).
    if (isPending(resource) && !signing) {
      batch.pendingResource = resource;
      this.resources.watch(resource);
    }
    return [batch];
  }

  /** Where another process's chain ended, from the head it left in `dir` (spool-chain.ts); queued as a recovery span. */
  private recordChainHeadOf(dir: string, remove = false): void {
    try {
      const recovery = this.chain?.recoverySpanFor(dir);
      if (recovery) this.queue.push(recovery);
    } catch (error) {
      diag.error(`llm-otel spool: could not record the end of a previous chain: ${(error as Error).message}`);
    }
    if (remove) removeChainHead(dir);
  }

  /**
   * A signed batch is on disk: the head moves forward, never back (a spill writes what the writer holds
   * first, so a durable batch is not older than the head; kept as a guard).
   */
  private noteChainHead(batch: NewBatch): void {
    const end = batch.chainEnd;
    if (!this.chain || !end || end.lastSeq <= this.headSeq || this.store.degraded) return;
    this.headSeq = end.lastSeq;
    this.chain.writeHead(this.store.directory, end);
  }

  private adoptOrphans(): void {
    const own = this.store.diskStore;
    if (!own || this.closed) return;
    try {
      if (adoptOrphanedSpools(this.options.dir, own, (dir) => this.recordChainHeadOf(dir, true)) > 0) this.sender.wake();
    } catch (error) {
      diag.error(`llm-otel spool: adopting orphaned spools failed: ${(error as Error).message}`);
    }
  }
}

/** Resource detectors may still be resolving; the stock BatchSpanProcessor waits for them too. */
async function waitForAsyncResourceAttributes(batch: readonly ReadableSpan[], timeoutMillis: number): Promise<void> {
  const pending = new Set(batch.map((span) => span.resource).filter(isPending));
  if (pending.size > 0) await Promise.all([...pending].map((resource) => settle(resource, timeoutMillis)));
}

/** Builds the durable-export span processor; see README.md (Durable export). Throws at set-up for unusable options. */
export function createSpoolingSpanProcessor(options: SpoolProcessorOptions): SpoolingSpanProcessor {
  return new SpoolingSpanProcessor(options);
}
