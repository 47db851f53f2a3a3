import { diag } from '@opentelemetry/api';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_HEADER_BYTES, type DecodedBatch, decodeBatchFile, decodeBatchHeader } from './batch-file-format';
import { batchFileName, isBatchFileName } from './batch-file-name';
import type { DropReport } from './drop-report';
import { syncDirectorySync, writeFileDurably, writeFileDurablySync } from './durable-write';
import type { SpoolCounters } from './spool-stats';
import { recoverTempFiles } from './temp-file-recovery';

export const DIRECTORY_MODE = 0o700;
export type SetAsideFolder = 'rejected' | 'quarantine';
const SET_ASIDE_FOLDERS: readonly SetAsideFolder[] = ['rejected', 'quarantine'];

/** A batch file waiting to be sent. */
export interface SpoolEntry {
  readonly name: string;
  readonly bytes: number;
  readonly spans: number;
  readonly createdMillis: number;
}

interface SetAsideEntry {
  readonly folder: SetAsideFolder;
  readonly name: string;
  readonly bytes: number;
  readonly sinceMillis: number;
}

/** Process-wide, so names stay unique when one process adopts another directory of its own. */
let batchSequence = 0;

/*
 * The files of one locked spool directory, indexed in memory, oldest first, and kept inside the bounds:
 *
 * - maxAgeMillis: a batch older than this is dropped (counted) before anything else happens to it;
 * - maxBytes covers everything kept (waiting batches, rejected/, quarantine/, files being written).
 *   To make room, set-aside files go first (they will never be sent), then the oldest waiting batch
 *   (counted as dropped). The batch being sent is never evicted, so a drop is always a real loss.
 *   A batch that still does not fit is dropped itself (counted).
 */
export class SpoolStore {
  private readonly pending: SpoolEntry[] = [];
  private readonly setAsideFiles: SetAsideEntry[] = [];
  private pendingBytes = 0;
  private setAsideBytes = 0;
  private reservedBytes = 0;
  private inFlight: string | undefined;

  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    private readonly maxAgeMillis: number,
    private readonly counters: SpoolCounters,
    private readonly drops: DropReport,
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
    this.setAsideFiles.sort((a, b) => a.sinceMillis - b.sinceMillis);
    for (const name of readdirSync(dir).filter(isBatchFileName).sort()) this.index(name);
    this.makeRoom(0);
  }

  get bytesOnDisk(): number {
    return this.pendingBytes + this.setAsideBytes + this.reservedBytes;
  }

  get fileCount(): number {
    return this.pending.length;
  }

  /** Writes one encoded batch file durably; false (and counted as dropped) if it cannot be kept. */
  async writeBatch(file: Uint8Array, spans: number, createdMillis: number): Promise<boolean> {
    const name = this.reserve(file.byteLength, spans, createdMillis);
    if (name === undefined) return false;
    try {
      await writeFileDurably(this.dir, name, file);
    } catch (error) {
      return this.writeFailed(file.byteLength, spans, error);
    }
    this.commit({ name, bytes: file.byteLength, spans, createdMillis });
    return true;
  }

  /** The same, blocking; for the spill path only. */
  writeBatchSync(file: Uint8Array, spans: number, createdMillis: number): boolean {
    const name = this.reserve(file.byteLength, spans, createdMillis);
    if (name === undefined) return false;
    try {
      writeFileDurablySync(this.dir, name, file);
    } catch (error) {
      return this.writeFailed(file.byteLength, spans, error);
    }
    this.commit({ name, bytes: file.byteLength, spans, createdMillis });
    return true;
  }

  /** The oldest waiting batch, marked in flight (not evicted) until settled. */
  takeOldest(): SpoolEntry | undefined {
    this.expire(Date.now());
    const entry = this.pending[0];
    this.inFlight = entry?.name;
    return entry;
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

  /** The backend has it: delete. */
  settleSent(entry: SpoolEntry): void {
    this.counters.sentBatches += 1;
    this.removeFile(entry);
  }

  /** Not sent this time; stays first in line. */
  settleUnsent(entry: SpoolEntry): void {
    if (this.inFlight === entry.name) this.inFlight = undefined;
  }

  /** Refused permanently by the backend: keep it in rejected/ for a human, never resend. */
  settleRejected(entry: SpoolEntry, reason: string): void {
    this.counters.rejectedBatches += 1;
    diag.error(`llm-otel spool: backend rejected batch ${entry.name} (${entry.spans} spans) permanently: ${reason}; kept in ${join(this.dir, 'rejected')}`);
    this.moveAside(entry, 'rejected');
  }

  /** Moves every batch and set-aside file of another (locked, dead) spool directory into this one. */
  absorb(other: string): number {
    recoverTempFiles(other);
    let moved = 0;
    for (const name of readdirSync(other).filter(isBatchFileName).sort()) {
      const target = this.freeName(this.dir, name);
      renameSync(join(other, name), join(this.dir, target));
      this.index(target);
      moved += 1;
    }
    for (const folder of SET_ASIDE_FOLDERS) {
      if (!existsSync(join(other, folder))) continue;
      for (const name of readdirSync(join(other, folder))) {
        const target = this.freeName(join(this.dir, folder), name);
        renameSync(join(other, folder, name), join(this.dir, folder, target));
        this.indexSetAside(folder, target);
      }
      syncDirectorySync(join(this.dir, folder));
    }
    syncDirectorySync(this.dir);
    this.setAsideFiles.sort((a, b) => a.sinceMillis - b.sinceMillis);
    this.makeRoom(0);
    return moved;
  }

  private freeName(dir: string, name: string): string {
    let candidate = name;
    for (let n = 1; existsSync(join(dir, candidate)); n++) candidate = `${n}-${name}`;
    return candidate;
  }

  private reserve(bytes: number, spans: number, createdMillis: number): string | undefined {
    if (!this.makeRoom(bytes)) {
      this.drop(spans, `a ${bytes}-byte batch does not fit in maxBytes ${this.maxBytes}`);
      return undefined;
    }
    this.reservedBytes += bytes;
    batchSequence += 1;
    return batchFileName(createdMillis, batchSequence);
  }

  private commit(entry: SpoolEntry): void {
    this.reservedBytes -= entry.bytes;
    this.insertPending(entry);
  }

  private insertPending(entry: SpoolEntry): void {
    this.pendingBytes += entry.bytes;
    // Names grow with time, so this is nearly always an append; a spilled batch can overtake a slower write.
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1].name > entry.name) at -= 1;
    this.pending.splice(at, 0, entry);
  }

  private writeFailed(bytes: number, spans: number, error: unknown): false {
    this.reservedBytes -= bytes;
    this.drop(spans, `write failed: ${(error as Error).message}`);
    return false;
  }

  private drop(spans: number, reason: string): void {
    this.counters.droppedBatches += 1;
    this.counters.droppedSpans += spans;
    this.drops.record(spans, reason);
  }

  /** Expires old files, then evicts until `incoming` more bytes fit; false if they cannot. */
  private makeRoom(incoming: number): boolean {
    this.expire(Date.now());
    if (incoming > this.maxBytes) return false;
    while (this.bytesOnDisk + incoming > this.maxBytes) {
      const aside = this.setAsideFiles[0];
      if (aside !== undefined) {
        diag.warn(`llm-otel spool: removed ${aside.folder}/${aside.name} to stay under maxBytes ${this.maxBytes}`);
        this.removeSetAside(aside);
        continue;
      }
      const victim = this.pending.find((entry) => entry.name !== this.inFlight);
      if (victim === undefined) return false;
      this.removeFile(victim);
      this.drop(victim.spans, `maxBytes ${this.maxBytes} reached, oldest batch evicted`);
    }
    return true;
  }

  private expire(now: number): void {
    const cutoff = now - this.maxAgeMillis;
    const expired: SpoolEntry[] = [];
    // Oldest first, so the scan stops at the first young batch.
    for (const entry of this.pending) {
      if (entry.createdMillis >= cutoff) break;
      if (entry.name !== this.inFlight) expired.push(entry);
    }
    for (const entry of expired) {
      this.removeFile(entry);
      this.drop(entry.spans, `older than maxAgeMillis ${this.maxAgeMillis}`);
    }
    while (this.setAsideFiles.length > 0 && this.setAsideFiles[0].sinceMillis < cutoff) {
      this.removeSetAside(this.setAsideFiles[0]);
    }
  }

  private index(name: string): void {
    const path = join(this.dir, name);
    const bytes = statSync(path).size;
    const head = Buffer.alloc(BATCH_HEADER_BYTES);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, BATCH_HEADER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
    const header = decodeBatchHeader(head, bytes);
    const entry = { name, bytes, spans: header.ok ? header.spanCount : 0, createdMillis: header.ok ? header.createdMillis : 0 };
    this.insertPending(entry);
    if (!header.ok) this.quarantine(entry, header.reason);
  }

  private indexSetAside(folder: SetAsideFolder, name: string): void {
    const stat = statSync(join(this.dir, folder, name));
    if (!stat.isFile()) return;
    this.setAsideFiles.push({ folder, name, bytes: stat.size, sinceMillis: stat.mtimeMs });
    this.setAsideBytes += stat.size;
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
      this.setAsideFiles.push({ folder, name: entry.name, bytes: entry.bytes, sinceMillis: Date.now() });
      this.setAsideBytes += entry.bytes;
    } catch (error) {
      diag.error(`llm-otel spool: could not move ${entry.name} to ${folder}/: ${(error as Error).message}`);
    }
  }

  private removeFile(entry: SpoolEntry): void {
    this.forget(entry);
    try {
      unlinkSync(join(this.dir, entry.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        diag.error(`llm-otel spool: could not delete ${entry.name}: ${(error as Error).message}`);
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
    if (this.inFlight === entry.name) this.inFlight = undefined;
  }
}
