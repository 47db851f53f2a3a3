/** A snapshot of the spool, from `SpoolingSpanProcessor.stats()`. */
export interface SpoolStats {
  /** Spans ended but not yet on disk (in memory or being written). */
  queuedSpans: number;
  /** Bytes this process keeps on disk: batches waiting to be sent plus `rejected/` and `quarantine/`. */
  spoolBytes: number;
  /** Batch files waiting to be sent. */
  spoolFiles: number;
  /** Spans lost: evicted by maxBytes or maxAge, or a batch that could not be written at all. */
  droppedSpans: number;
  droppedBatches: number;
  /** Batches the backend accepted (a batch re-sent after a crash counts again). */
  sentBatches: number;
  /** Batches the backend refused permanently, kept in `rejected/`. */
  rejectedBatches: number;
  /** Files that failed their checksum or length check, kept in `quarantine/`. */
  quarantinedFiles: number;
}

/** The counting part of the stats, shared by the store, the sender and the processor. */
export class SpoolCounters {
  droppedSpans = 0;
  droppedBatches = 0;
  sentBatches = 0;
  rejectedBatches = 0;
  quarantinedFiles = 0;
}
