import { type DecodedBatch, decodeBatchFile, encodeBatchFile, payloadOfBatchFile } from './batch-file-format';
import { nextBatchFileName } from './batch-file-name';
import { type BatchStore, type NewBatch, type SpoolEntry, handled } from './batch-store';
import type { DropReport, LostPayload } from './drop-report';
import { type SpoolClock, monotonicBirth } from './spool-clock';
import type { SpoolCounters } from './spool-stats';

/** The most a degraded spool keeps in memory (or maxBytes, if smaller). */
export const MEMORY_FALLBACK_MAX_BYTES = 32 * 1024 * 1024;

type MemoryEntry = SpoolEntry & { file: Uint8Array };

/*
 * Where batches go while the disk cannot take them (full, read-only, failing, or the directory could not
 * be locked at start): encoded batch files in memory, sent by the same sender with the same retries,
 * bounded by bytes (oldest evicted first, counted) and by maxAgeMillis, like the directory. This is the
 * stock BatchSpanProcessor's bounded-memory behaviour with the spool's retries on top; it is not
 * durable, and resilient-store.ts moves these batches to disk as soon as the disk works again.
 */
export class MemoryBatchStore implements BatchStore {
  private readonly entries: MemoryEntry[] = [];
  private bytes = 0;
  private inFlight: SpoolEntry | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMillis: number,
    private readonly counters: SpoolCounters,
    private readonly drops: DropReport,
    private readonly clock: SpoolClock,
  ) {}

  get fileCount(): number {
    return this.entries.length;
  }

  get bytesInMemory(): number {
    return this.bytes;
  }

  has(entry: SpoolEntry): boolean {
    return this.entries.includes(entry as MemoryEntry);
  }

  waiting(): readonly SpoolEntry[] {
    return this.entries;
  }

  async writeBatch(batch: NewBatch): Promise<boolean> {
    return this.writeBatchSync(batch);
  }

  writeBatchSync(batch: NewBatch): boolean {
    return handled(batch, this.keep(batch));
  }

  private keep(batch: NewBatch): boolean {
    const size = batch.file.byteLength;
    this.expire();
    if (size > this.maxBytes) {
      this.drop(batch.spans, `a ${size}-byte batch does not fit in the ${this.maxBytes}-byte memory fallback`, () => payloadOfBatchFile(batch.file));
      return false;
    }
    while (this.bytes + size > this.maxBytes) {
      const victim = this.entries.find((entry) => entry !== this.inFlight);
      if (!victim) {
        this.drop(batch.spans, `memory fallback full (${this.maxBytes} bytes)`, () => payloadOfBatchFile(batch.file));
        return false;
      }
      this.remove(victim);
      this.drop(victim.spans, `memory fallback full (${this.maxBytes} bytes), oldest batch evicted`, () => payloadOfBatchFile(victim.file));
    }
    const entry: MemoryEntry = {
      name: nextBatchFileName(batch.createdMillis),
      bytes: size,
      spans: batch.spans,
      createdMillis: batch.createdMillis,
      bornMillis: monotonicBirth(this.clock, batch.createdMillis),
      file: batch.file,
    };
    if (batch.pendingResource) entry.pendingResource = batch.pendingResource;
    this.entries.push(entry);
    this.bytes += size;
    return true;
  }

  oldest(): SpoolEntry | undefined {
    this.expire();
    return this.entries.find((entry) => entry !== this.inFlight);
  }

  take(entry: SpoolEntry): void {
    this.inFlight = entry;
  }

  async read(entry: SpoolEntry): Promise<DecodedBatch> {
    const decoded = decodeBatchFile((entry as MemoryEntry).file);
    if (!decoded.ok) {
      this.remove(entry);
      this.drop(entry.spans, `a batch in memory failed verification (${decoded.reason})`);
    }
    return decoded;
  }

  async replacePayload(entry: SpoolEntry, payload: Uint8Array, spans: number): Promise<void> {
    const memoryEntry = entry as MemoryEntry;
    memoryEntry.file = encodeBatchFile(payload, spans, entry.createdMillis);
    if (this.has(entry)) this.bytes += memoryEntry.file.byteLength - entry.bytes;
    entry.bytes = memoryEntry.file.byteLength;
    entry.spans = spans;
  }

  settleSent(entry: SpoolEntry): void {
    this.counters.sentBatches += 1;
    this.remove(entry);
  }

  settleUnsent(entry: SpoolEntry): void {
    if (this.inFlight === entry) this.inFlight = undefined;
  }

  settleRejected(entry: SpoolEntry, reason: string): void {
    this.remove(entry);
    this.counters.rejectedBatches += 1;
    this.drop(entry.spans, `rejected by the backend while the disk is unavailable (not kept): ${reason}`, () =>
      payloadOfBatchFile((entry as MemoryEntry).file),
    );
  }

  async setAsidePart(payload: Uint8Array, spans: number, _createdMillis: number, reason: string): Promise<void> {
    this.counters.rejectedBatches += 1;
    this.drop(spans, `rejected by the backend while the disk is unavailable (not kept): ${reason}`, () => payload);
  }

  /**
   * Hands every batch not in flight to `write` (oldest first) and forgets each one it returned for (kept,
   * or dropped and counted there); when `write` throws, that batch and the rest stay here.
   */
  moveOut(write: (batch: NewBatch) => unknown): void {
    for (const entry of [...this.entries]) {
      if (entry === this.inFlight) continue;
      write({ file: entry.file, spans: entry.spans, createdMillis: entry.createdMillis, pendingResource: entry.pendingResource });
      this.remove(entry);
    }
  }

  private expire(): void {
    const cutoff = this.clock.monotonicMillis() - this.maxAgeMillis;
    for (const entry of this.entries.filter((e) => e.bornMillis < cutoff && e !== this.inFlight)) {
      this.remove(entry);
      this.drop(entry.spans, `older than maxAgeMillis ${this.maxAgeMillis}`, () => payloadOfBatchFile(entry.file));
    }
  }

  private remove(entry: SpoolEntry): void {
    const at = this.entries.indexOf(entry as MemoryEntry);
    if (at >= 0) {
      this.entries.splice(at, 1);
      this.bytes -= entry.bytes;
    }
    if (this.inFlight === entry) this.inFlight = undefined;
  }

  private drop(spans: number, reason: string, payload?: LostPayload): void {
    this.counters.droppedBatches += 1;
    this.counters.droppedSpans += spans;
    this.drops.record(spans, reason, payload);
  }
}
