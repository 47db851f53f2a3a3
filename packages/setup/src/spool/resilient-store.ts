import { diag } from '@opentelemetry/api';
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DecodedBatch } from './batch-file-format';
import type { BatchStore, NewBatch, SpoolEntry } from './batch-store';
import { FILE_MODE } from './durable-write';
import type { MemoryBatchStore } from './memory-store';
import type { SpoolLock } from './spool-lock';
import type { SpoolStore } from './spool-store';

/** A locked spool directory and its index. */
export interface OpenSpool {
  lock: SpoolLock;
  store: SpoolStore;
}

const PROBE_FILE = 'disk-probe';

/*
 * The spool directory when the disk works, memory when it does not (issue: a full disk, a directory or a
 * dangling symlink named like a batch made setupTelemetry() throw, and the application never started).
 * Nothing here throws for a disk problem:
 *
 * - If the directory cannot be opened at start (ENOSPC taking the lock, EACCES, EROFS ...), or a write
 *   fails later, new batches go to memory (memory-store.ts: bounded, still sent) and the failure is
 *   logged once with diag.error.
 * - Batches already on disk stay there and are still sent (the bounds still apply to them).
 * - `tryResume()` (called periodically by the processor, and at exit) opens the directory if needed,
 *   proves it writable with a small probe file, and moves the batches kept in memory to disk, oldest
 *   first; from then on batches are written to disk again.
 *
 * The sender sees one store: the oldest batch of either place, by name (the names of both come from
 * one sequence, so the order of batches is the order in which they were made).
 */
export class ResilientStore implements BatchStore {
  private disk: OpenSpool | undefined;
  private diskWritable = false;
  private failures = 0;

  constructor(
    private readonly openDisk: () => OpenSpool,
    private readonly memory: MemoryBatchStore,
    private readonly configuredDir: string,
  ) {
    this.tryResume();
  }

  /** The directory this process writes (or would write, while it cannot open it). */
  get directory(): string {
    return this.disk?.lock.dir ?? resolve(this.configuredDir);
  }

  get diskStore(): SpoolStore | undefined {
    return this.disk?.store;
  }

  get degraded(): boolean {
    return !this.diskWritable;
  }

  get fileCount(): number {
    return (this.disk?.store.fileCount ?? 0) + this.memory.fileCount;
  }

  get bytesOnDisk(): number {
    return this.disk?.store.bytesOnDisk ?? 0;
  }

  get batchesInMemory(): number {
    return this.memory.fileCount;
  }

  get bytesInMemory(): number {
    return this.memory.bytesInMemory;
  }

  /** Every waiting batch, disk first; for the resource fixer. */
  entries(): readonly SpoolEntry[] {
    return [...(this.disk?.store.entries() ?? []), ...this.memory.waiting()];
  }

  has(entry: SpoolEntry): boolean {
    return this.memory.has(entry) || (this.disk?.store.has(entry) ?? false);
  }

  async writeBatch(batch: NewBatch): Promise<boolean> {
    if (this.disk && this.diskWritable) {
      try {
        return await this.disk.store.writeBatch(batch);
      } catch (error) {
        this.degrade('writing a batch', error);
        if (batch.superseded) return false; // a spill stored it meanwhile
      }
    }
    return this.memory.writeBatchSync(batch);
  }

  writeBatchSync(batch: NewBatch): boolean {
    if (this.disk && this.diskWritable) {
      try {
        return this.disk.store.writeBatchSync(batch);
      } catch (error) {
        this.degrade('writing a batch', error);
      }
    }
    return this.memory.writeBatchSync(batch);
  }

  oldest(): SpoolEntry | undefined {
    const onDisk = this.disk?.store.oldest();
    const inMemory = this.memory.oldest();
    if (!onDisk || !inMemory) return onDisk ?? inMemory;
    return onDisk.name <= inMemory.name ? onDisk : inMemory;
  }

  take(entry: SpoolEntry): void {
    this.owner(entry).take(entry);
  }

  read(entry: SpoolEntry): Promise<DecodedBatch> {
    return this.owner(entry).read(entry);
  }

  replacePayload(entry: SpoolEntry, payload: Uint8Array, spans: number): Promise<void> {
    return this.owner(entry).replacePayload(entry, payload, spans);
  }

  settleSent(entry: SpoolEntry): void {
    this.owner(entry).settleSent(entry);
  }

  settleUnsent(entry: SpoolEntry): void {
    const owner = this.owner(entry);
    owner.settleUnsent(entry);
    // A batch that was in flight when the disk came back is moved now.
    if (owner === this.memory && this.diskWritable) this.tryResume();
  }

  settleRejected(entry: SpoolEntry, reason: string): void {
    this.owner(entry).settleRejected(entry, reason);
  }

  setAsidePart(payload: Uint8Array, spans: number, createdMillis: number, reason: string): Promise<void> {
    const target = this.disk && this.diskWritable ? this.disk.store : this.memory;
    return target.setAsidePart(payload, spans, createdMillis, reason);
  }

  /** Opens the directory if needed, checks that it takes a write, moves memory batches to it. True when writing to disk. */
  tryResume(): boolean {
    try {
      const wasDegraded = this.failures > 0;
      this.disk ??= this.openDisk();
      probeWrite(join(this.disk.lock.dir, PROBE_FILE));
      const inMemory = this.memory.fileCount;
      const store = this.disk.store;
      this.memory.moveOut((batch) => store.writeBatchSync(batch));
      this.diskWritable = true;
      if (wasDegraded) {
        diag.info(`llm-otel spool: ${this.disk.lock.dir} is writable again; ${inMemory - this.memory.fileCount} batches moved from memory to disk`);
      }
      this.failures = 0;
      return true;
    } catch (error) {
      this.degrade(this.disk ? 'writing to it' : 'opening it', error);
      return false;
    }
  }

  /** Releases the directory (at shutdown or exit). */
  close(): void {
    this.disk?.lock.release();
  }

  private owner(entry: SpoolEntry): BatchStore {
    return this.memory.has(entry) || !this.disk ? this.memory : this.disk.store;
  }

  private degrade(action: string, error: unknown): void {
    this.diskWritable = false;
    this.failures += 1;
    const message =
      `llm-otel spool: ${this.directory} failed while ${action} (${describe(error)}); spans are kept in memory ` +
      '(bounded, still exported, not durable) and the disk is tried again periodically';
    // The first failure of an outage is an error; the retries that fail again are not news.
    if (this.failures === 1) diag.error(message);
    else diag.debug(message);
  }
}

/** A full disk refuses even one new block; a read-only or failing one refuses the open or the fsync. */
function probeWrite(path: string): void {
  const fd = openSync(path, 'w', FILE_MODE);
  try {
    writeSync(fd, Buffer.alloc(1));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    try {
      unlinkSync(path);
    } catch {
      // not there
    }
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = (error as Error).message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
