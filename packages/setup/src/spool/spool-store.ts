import { diag } from '@opentelemetry/api';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_HEADER_BYTES, type DecodedBatch, decodeBatchFile, decodeBatchHeader, encodeBatchFile, payloadOfBatchFile } from './batch-file-format';
import { continueAfter, isBatchFileName, nextBatchFileName } from './batch-file-name';
import { type BatchStore, type NewBatch, type SpoolEntry, handled } from './batch-store';
import type { DropReport, LostPayload } from './drop-report';
import { syncDirectorySync, writeFileDurably, writeFileDurablySync } from './durable-write';
import { type SpoolClock, monotonicBirth } from './spool-clock';
import type { SpoolCounters } from './spool-stats';
import { recoverTempFiles } from './temp-file-recovery';

export const DIRECTORY_MODE = 0o700;
export type SetAsideFolder = 'rejected' | 'quarantine';
const SET_ASIDE_FOLDERS: readonly SetAsideFolder[] = ['rejected', 'quarantine'];

interface SetAsideEntry {
  readonly folder: SetAsideFolder;
  readonly name: string;
  readonly bytes: number;
  readonly bornMillis: number;
}

/** Entries that look like batches but are not regular files are warned about once each, this many at most. */
const MAX_REMEMBERED_ODD_ENTRIES = 1000;

/*
 * The files of one locked spool directory, indexed in memory, oldest first, and kept inside the bounds:
 *
 * - maxAgeMillis: a batch older than this is dropped (counted) before anything else happens to it. Age is
 *   measured on the monotonic clock from the batch's birth (spool-clock.ts);
 * - maxBytes covers everything kept (waiting batches, rejected/, quarantine/, files being written).
 *   To make room, set-aside files go first (they will never be sent), then the oldest waiting batch
 *   (counted as dropped). The batch being sent is never evicted, so a drop is always a real loss.
 *   A batch that still does not fit is dropped itself (counted).
 *
 * An entry named like a batch that is not a regular file (a directory, a symlink, dangling or not) is
 * left alone with a warning: the spool never makes those, and following a link is not its business.
 * A failing disk (ENOSPC, EIO, EROFS ...) makes the write methods throw; the caller keeps the batch
 * elsewhere (resilient-store.ts). Nothing here throws for a bad entry.
 */
export class SpoolStore implements BatchStore {
  private readonly pending: SpoolEntry[] = [];
  private readonly setAsideFiles: SetAsideEntry[] = [];
  private readonly oddEntries = new Set<string>();
  private pendingBytes = 0;
  private setAsideBytes = 0;
  private reservedBytes = 0;
  private inFlight: SpoolEntry | undefined;

  /** Throws when the directory cannot be prepared (the caller degrades to memory). */
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly maxAgeMillis: number,
    private readonly counters: SpoolCounters,
    private readonly drops: DropReport,
    private readonly clock: SpoolClock,
  ) {
    for (const folder of SET_ASIDE_FOLDERS) mkdirSync(join(dir, folder), { recursive: true, mode: DIRECTORY_MODE });
    const { recovered, removed } = recoverTempFiles(dir);
    if (recovered + removed > 0) {
      diag.info(`llm-otel spool: ${recovered} complete temp files recovered, ${removed} torn ones removed in ${dir}`);
    }
    // Set-aside folders first: indexing the batches may quarantine some of them.
    for (const folder of SET_ASIDE_FOLDERS) {
      for (const name of readdirSync(join(dir, folder))) this.indexSetAside(folder, name);
    }
    this.sortSetAside();
    for (const name of readdirSync(dir).filter(isBatchFileName).sort()) this.index(name);
    this.makeRoom(0);
  }

  get bytesOnDisk(): number {
    return this.pendingBytes + this.setAsideBytes + this.reservedBytes;
  }

  get fileCount(): number {
    return this.pending.length;
  }

  has(entry: SpoolEntry): boolean {
    return this.pending.includes(entry);
  }

  entries(): readonly SpoolEntry[] {
    return this.pending;
  }

  async writeBatch(batch: NewBatch): Promise<boolean> {
    const name = this.reserve(batch);
    if (name === undefined) return handled(batch, false);
    try {
      await writeFileDurably(this.dir, name, batch.file);
    } finally {
      this.reservedBytes -= batch.file.byteLength;
    }
    if (batch.superseded) {
      // A spill stored it meanwhile, in its place in the chain's order. Should this copy survive a crash
      // before the unlink, it is an exact duplicate: the verifier reports those and does not fail them.
      this.removeName(name);
      return false;
    }
    this.insertPending(this.entryFor(name, batch));
    return handled(batch, true);
  }

  /** The same, blocking; for the spill and exit paths only. */
  writeBatchSync(batch: NewBatch): boolean {
    const name = this.reserve(batch);
    if (name === undefined) return false;
    try {
      writeFileDurablySync(this.dir, name, batch.file);
    } finally {
      this.reservedBytes -= batch.file.byteLength;
    }
    this.insertPending(this.entryFor(name, batch));
    return true;
  }

  oldest(): SpoolEntry | undefined {
    this.expire();
    return this.pending.find((entry) => entry !== this.inFlight);
  }

  take(entry: SpoolEntry): void {
    this.inFlight = entry;
  }

  /** Reads and verifies a batch; a file that fails verification is quarantined here. */
  async read(entry: SpoolEntry): Promise<DecodedBatch> {
    let decoded: DecodedBatch;
    try {
      decoded = decodeBatchFile(await readFile(join(this.dir, entry.name)));
    } catch (error) {
      decoded = { ok: false, reason: `unreadable: ${(error as Error).message}` };
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.forget(entry);
        return decoded;
      }
    }
    if (!decoded.ok) this.quarantine(entry, decoded.reason);
    return decoded;
  }

  /**
   * Atomically replaces the file under the same name (temp, fsync, rename over it). The temp copy sits
   * beside the original until the rename, so its bytes are reserved under maxBytes like a new batch's.
   */
  async replacePayload(entry: SpoolEntry, payload: Uint8Array, spans: number): Promise<void> {
    const file = encodeBatchFile(payload, spans, entry.createdMillis);
    if (!this.makeRoom(file.byteLength)) throw new Error(`no room under maxBytes ${this.maxBytes} to rewrite ${entry.name}`);
    this.reservedBytes += file.byteLength;
    try {
      await writeFileDurably(this.dir, entry.name, file);
    } finally {
      this.reservedBytes -= file.byteLength;
    }
    if (!this.pending.includes(entry)) {
      // Evicted or expired while it was being rewritten: the rename brought the file back.
      this.removeFile(entry);
      return;
    }
    this.pendingBytes += file.byteLength - entry.bytes;
    entry.bytes = file.byteLength;
    entry.spans = spans;
  }

  /** The backend has it: delete. */
  settleSent(entry: SpoolEntry): void {
    this.counters.sentBatches += 1;
    this.removeFile(entry);
  }

  /** Not sent this time; stays first in line. */
  settleUnsent(entry: SpoolEntry): void {
    if (this.inFlight === entry) this.inFlight = undefined;
  }

  /** Refused permanently by the backend: keep it in rejected/ for a human, never resend. */
  settleRejected(entry: SpoolEntry, reason: string): void {
    this.counters.rejectedBatches += 1;
    diag.error(`llm-otel spool: backend rejected batch ${entry.name} (${entry.spans} spans) permanently: ${reason}; kept in ${join(this.dir, 'rejected')}`);
    this.drops.declareLost(() => this.payloadOnDisk(entry));
    this.moveAside(entry, 'rejected');
  }

  async setAsidePart(payload: Uint8Array, spans: number, createdMillis: number, reason: string): Promise<void> {
    const file = encodeBatchFile(payload, spans, createdMillis);
    const name = nextBatchFileName(createdMillis);
    this.counters.rejectedBatches += 1;
    diag.error(`llm-otel spool: backend rejected ${spans} spans permanently: ${reason}; kept as ${join(this.dir, 'rejected', name)}`);
    this.drops.declareLost(() => payload);
    if (!this.makeRoom(file.byteLength)) return;
    try {
      await writeFileDurably(join(this.dir, 'rejected'), name, file);
    } catch (error) {
      diag.error(`llm-otel spool: could not keep the rejected spans: ${(error as Error).message}`);
      return;
    }
    this.setAsideFiles.push({ folder: 'rejected', name, bytes: file.byteLength, bornMillis: this.clock.monotonicMillis() });
    this.setAsideBytes += file.byteLength;
  }

  /** Moves every batch and set-aside file of another (locked, dead) spool directory into this one. */
  absorb(other: string): number {
    recoverTempFiles(other);
    let moved = 0;
    for (const name of readdirSync(other).filter(isBatchFileName).sort()) {
      if (!this.isRegularFile(join(other, name))) continue;
      const target = this.freeName(this.dir, name);
      renameSync(join(other, name), join(this.dir, target));
      this.index(target);
      moved += 1;
    }
    for (const folder of SET_ASIDE_FOLDERS) {
      if (!existsSync(join(other, folder))) continue;
      for (const name of readdirSync(join(other, folder))) {
        if (!this.isRegularFile(join(other, folder, name))) continue;
        const target = this.freeName(join(this.dir, folder), name);
        renameSync(join(other, folder, name), join(this.dir, folder, target));
        this.indexSetAside(folder, target);
      }
      syncDirectorySync(join(this.dir, folder));
    }
    syncDirectorySync(this.dir);
    this.sortSetAside();
    this.makeRoom(0);
    return moved;
  }

  private entryFor(name: string, batch: NewBatch): SpoolEntry {
    const entry: SpoolEntry = {
      name,
      bytes: batch.file.byteLength,
      spans: batch.spans,
      createdMillis: batch.createdMillis,
      bornMillis: monotonicBirth(this.clock, batch.createdMillis),
    };
    if (batch.pendingResource) entry.pendingResource = batch.pendingResource;
    return entry;
  }

  private freeName(dir: string, name: string): string {
    let candidate = name;
    for (let n = 1; existsSync(join(dir, candidate)); n++) candidate = `${n}-${name}`;
    return candidate;
  }

  private reserve(batch: NewBatch): string | undefined {
    const bytes = batch.file.byteLength;
    if (!this.makeRoom(bytes)) {
      this.drop(batch.spans, `a ${bytes}-byte batch does not fit in maxBytes ${this.maxBytes}`, () => payloadOfBatchFile(batch.file));
      return undefined;
    }
    this.reservedBytes += bytes;
    return nextBatchFileName(batch.createdMillis);
  }

  private insertPending(entry: SpoolEntry): void {
    this.pendingBytes += entry.bytes;
    // Names grow with time, so this is nearly always an append; adopted files keep their names and may sort earlier.
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1].name > entry.name) at -= 1;
    this.pending.splice(at, 0, entry);
  }

  private drop(spans: number, reason: string, payload?: LostPayload): void {
    this.counters.droppedBatches += 1;
    this.counters.droppedSpans += spans;
    this.drops.record(spans, reason, payload);
  }

  /** Read synchronously, and only when a chain listens for lost batches (drop-report.ts). */
  private payloadOnDisk(entry: SpoolEntry): Uint8Array | undefined {
    return payloadOfBatchFile(readFileSync(join(this.dir, entry.name)));
  }

  /** Expires old files, then evicts until `incoming` more bytes fit; false if they cannot. */
  private makeRoom(incoming: number): boolean {
    this.expire();
    if (incoming > this.maxBytes) return false;
    while (this.bytesOnDisk + incoming > this.maxBytes) {
      const aside = this.setAsideFiles[0];
      if (aside !== undefined) {
        diag.warn(`llm-otel spool: removed ${aside.folder}/${aside.name} to stay under maxBytes ${this.maxBytes}`);
        this.removeSetAside(aside);
        continue;
      }
      const victim = this.pending.find((entry) => entry !== this.inFlight);
      if (victim === undefined) return false;
      // Declared before the file goes: the chain's links are read from it.
      this.drop(victim.spans, `maxBytes ${this.maxBytes} reached, oldest batch evicted`, () => this.payloadOnDisk(victim));
      this.removeFile(victim);
    }
    return true;
  }

  private expire(): void {
    const cutoff = this.clock.monotonicMillis() - this.maxAgeMillis;
    const expired = this.pending.filter((entry) => entry.bornMillis < cutoff && entry !== this.inFlight);
    for (const entry of expired) {
      this.drop(entry.spans, `older than maxAgeMillis ${this.maxAgeMillis}`, () => this.payloadOnDisk(entry));
      this.removeFile(entry);
    }
    for (const aside of this.setAsideFiles.filter((entry) => entry.bornMillis < cutoff)) this.removeSetAside(aside);
  }

  private isRegularFile(path: string): boolean {
    let kind: string;
    try {
      const stat = lstatSync(path);
      if (stat.isFile()) return true;
      kind = stat.isDirectory() ? 'a directory' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
    } catch (error) {
      kind = `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    }
    if (!this.oddEntries.has(path) && this.oddEntries.size < MAX_REMEMBERED_ODD_ENTRIES) {
      this.oddEntries.add(path);
      diag.warn(`llm-otel spool: ${path} is named like a batch but is ${kind}; left alone`);
    }
    return false;
  }

  private index(name: string): void {
    const path = join(this.dir, name);
    if (!this.isRegularFile(path)) return;
    continueAfter(name);
    let bytes: number;
    const head = Buffer.alloc(BATCH_HEADER_BYTES);
    try {
      bytes = lstatSync(path).size;
      const fd = openSync(path, 'r');
      try {
        readSync(fd, head, 0, BATCH_HEADER_BYTES, 0);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      diag.warn(`llm-otel spool: could not read ${path}: ${(error as Error).message}; left alone`);
      return;
    }
    const header = decodeBatchHeader(head, bytes);
    const createdMillis = header.ok ? header.createdMillis : 0;
    const entry: SpoolEntry = { name, bytes, spans: header.ok ? header.spanCount : 0, createdMillis, bornMillis: monotonicBirth(this.clock, createdMillis) };
    this.insertPending(entry);
    if (!header.ok) this.quarantine(entry, header.reason);
  }

  private indexSetAside(folder: SetAsideFolder, name: string): void {
    const path = join(this.dir, folder, name);
    try {
      const stat = lstatSync(path);
      if (!stat.isFile()) return;
      this.setAsideFiles.push({ folder, name, bytes: stat.size, bornMillis: monotonicBirth(this.clock, stat.mtimeMs) });
      this.setAsideBytes += stat.size;
    } catch {
      // gone meanwhile
    }
  }

  private sortSetAside(): void {
    this.setAsideFiles.sort((a, b) => a.bornMillis - b.bornMillis);
  }

  private quarantine(entry: SpoolEntry, reason: string): void {
    this.counters.quarantinedFiles += 1;
    diag.warn(`llm-otel spool: ${entry.name} failed verification (${reason}); moved to ${join(this.dir, 'quarantine')}`);
    this.moveAside(entry, 'quarantine');
  }

  private moveAside(entry: SpoolEntry, folder: SetAsideFolder): void {
    this.forget(entry);
    try {
      renameSync(join(this.dir, entry.name), join(this.dir, folder, entry.name));
      this.setAsideFiles.push({ folder, name: entry.name, bytes: entry.bytes, bornMillis: this.clock.monotonicMillis() });
      this.setAsideBytes += entry.bytes;
    } catch (error) {
      diag.error(`llm-otel spool: could not move ${entry.name} to ${folder}/: ${(error as Error).message}`);
    }
  }

  private removeFile(entry: SpoolEntry): void {
    this.forget(entry);
    this.removeName(entry.name);
  }

  private removeName(name: string): void {
    try {
      unlinkSync(join(this.dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        diag.error(`llm-otel spool: could not delete ${name}: ${(error as Error).message}`);
      }
    }
  }

  private removeSetAside(aside: SetAsideEntry): void {
    this.setAsideFiles.splice(this.setAsideFiles.indexOf(aside), 1);
    this.setAsideBytes -= aside.bytes;
    try {
      unlinkSync(join(this.dir, aside.folder, aside.name));
    } catch {
      // gone already
    }
  }

  private forget(entry: SpoolEntry): void {
    const at = this.pending.indexOf(entry);
    if (at >= 0) {
      this.pending.splice(at, 1);
      this.pendingBytes -= entry.bytes;
    }
    if (this.inFlight === entry) this.inFlight = undefined;
  }
}
