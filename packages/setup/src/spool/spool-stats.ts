/** A snapshot of the spool, from `SpoolingSpanProcessor.stats()`. */
export interface SpoolStats {
  /** Spans ended but not yet on disk (in memory or being written). */
  queuedSpans: number;
  /** Bytes this process keeps on disk: batches waiting to be sent plus `rejected/` and `quarantine/`. */
  spoolBytes: number;
  /** Batches waiting to be sent (on disk, or in memory while the disk is unavailable). */
  spoolFiles: number;
  /** Spans lost: evicted by maxBytes or maxAge, or a batch that could not be kept at all. */
  droppedSpans: number;
  droppedBatches: number;
  /** Batches the backend accepted (a batch re-sent after a crash counts again). */
  sentBatches: number;
  /** Batches (or parts of split batches) the backend refused permanently, kept in `rejected/`. */
  rejectedBatches: number;
  /** Spans the backend refused as too large (HTTP 413 and the like) even one at a time, kept in `rejected/`. */
  tooLargeSpans: number;
  /** Files that failed their checksum or length check, kept in `quarantine/`. */
  quarantinedFiles: number;
  /** True while the disk cannot be written: new batches are kept in memory (bounded), and the disk is retried. */
  degraded: boolean;
  /** Batches and bytes kept in memory because the disk could not take them. */
  memoryBatches: number;
  memoryBytes: number;
}

/** The counting part of the stats, shared by the stores, the sender and the processor. */
export class SpoolCounters {
  droppedSpans = 0;
  droppedBatches = 0;
  sentBatches = 0;
  rejectedBatches = 0;
  tooLargeSpans = 0;
  quarantinedFiles = 0;
}
