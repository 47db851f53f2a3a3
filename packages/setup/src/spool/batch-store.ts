import type { RecoveredChainEnd } from '@llm-otel/audit';
import type { DecodedBatch } from './batch-file-format';
import type { SpanResource } from './pending-resource';

/** A batch waiting to be sent, on disk or (degraded) in memory. */
export interface SpoolEntry {
  readonly name: string;
  bytes: number;
  spans: number;
  /** Wall-clock creation time, as in the file header. */
  readonly createdMillis: number;
  /** Creation time on this process's monotonic clock (spool-clock.ts); ages are measured from it. */
  readonly bornMillis: number;
  /** Set while the batch holds a resource that was still waiting for asynchronous attributes. */
  pendingResource?: SpanResource;
}

export interface NewBatch {
  /** An encoded batch file (batch-file-format.ts). */
  file: Uint8Array;
  spans: number;
  createdMillis: number;
  pendingResource?: SpanResource;
  /** The last integrity-chain link in it, recorded as the chain head once it is on disk (spool-chain.ts). */
  chainEnd?: RecoveredChainEnd;
  /**
   * Set when a spill wrote this batch itself while its asynchronous write was under way (see
   * spooling-span-processor.ts): that write then keeps nothing, so the batch is stored once.
   */
  superseded?: boolean;
  /** Set by the store that took the batch (kept it, or dropped it at a bound, counted): nothing writes it again. */
  handled?: boolean;
}

/** Marks `batch` as taken by a store (NewBatch.handled) and returns `kept`. */
export function handled(batch: NewBatch, kept: boolean): boolean {
  batch.handled = true;
  return kept;
}

/** What the sender and the processor need of a place that keeps batches until they are sent. */
export interface BatchStore {
  readonly fileCount: number;
  /**
   * False when a bound dropped the batch (counted) or a spill superseded it meanwhile (stored by the spill);
   * throws when the medium failed (nothing counted).
   */
  writeBatch(batch: NewBatch): Promise<boolean>;
  writeBatchSync(batch: NewBatch): boolean;
  /** The oldest waiting batch after expiry, not yet marked in flight. */
  oldest(): SpoolEntry | undefined;
  /** Marks `entry` in flight (never evicted) until settled. */
  take(entry: SpoolEntry): void;
  read(entry: SpoolEntry): Promise<DecodedBatch>;
  /** Replaces what an entry holds, in place: its position in the order is kept. */
  replacePayload(entry: SpoolEntry, payload: Uint8Array, spans: number): Promise<void>;
  settleSent(entry: SpoolEntry): void;
  settleUnsent(entry: SpoolEntry): void;
  settleRejected(entry: SpoolEntry, reason: string): void;
  /** Keeps a part of a batch that the backend refused permanently (for a human), as settleRejected does. */
  setAsidePart(payload: Uint8Array, spans: number, createdMillis: number, reason: string): Promise<void>;
  has(entry: SpoolEntry): boolean;
}
