import type { Section } from '../canonical';

/** Inclusive sequence ranges. */
export type SeqRange = [number, number];

export interface AlteredRecord {
  /** The sequence number the record claims (not trustworthy: the record failed its MAC). */
  seq?: number;
  traceId: string;
  spanId: string;
  name: string;
  /** The sections whose content changed, when the stored digests allow telling. */
  sections?: Section[];
  reason: string;
}

export interface ChainConflict {
  seq: number;
  reason: string;
}

export type Termination =
  /** A final checkpoint is present: the process shut the chain down. */
  | 'final-checkpoint'
  /** No final checkpoint, but a later process recovered this chain's spool and recorded where it ended. */
  | 'crashed'
  /** Neither: the newest records were deleted, or the process crashed and nothing recovered it, or it still runs. */
  | 'unterminated'
  /** A trace or a time range was asked for: the end of the chain is not judged. */
  | 'not-checked';

export interface ChainReport {
  chainId: string;
  keyIds: string[];
  /** Records whose MAC verified (duplicates not counted). */
  verified: number;
  firstSeq: number;
  lastSeq: number;
  /**
   * Where completeness was checked from: the chain's first link; its first record in the input when
   * the oldest are gone (retention) and a checkpoint anchors the rest; the selection; or nowhere.
   */
  anchor: 'genesis' | 'checkpoint' | 'selection' | 'none';
  anchorSeq: number;
  /** Records that fail their MAC. */
  altered: AlteredRecord[];
  alteredCount: number;
  /** Signed (a later link names them) and not in the input: deleted after export. */
  removed: SeqRange[];
  /** Declared by a checkpoint as dropped before export, or as an export the exporter reported failed. */
  lost: SeqRange[];
  /**
   * Numbered (a later link's `prev_seq` skipped them: it was signed while they were not), not in the
   * input and not declared lost by any checkpoint: dropped by the pipeline without a declaration (a
   * crash before the next checkpoint), or signed later and deleted. Never accepted silently.
   */
  unaccounted: SeqRange[];
  /** Not in the input, and nothing tells whether they were removed or lost. */
  missing: SeqRange[];
  /** Exact copies of a verified record (at-least-once delivery): reported, not failed. */
  duplicates: number;
  /** Two valid records for one place in the chain, forks, links after the final checkpoint: replay or a chain id reused. */
  conflicts: ChainConflict[];
  conflictCount: number;
  /** Records that arrived before the record signed ahead of them (ordered inputs only): reported, not failed. */
  reordered: number;
  termination: Termination;
  /** For 'crashed': the chain that recorded the recovery, and the last sequence number it saw. */
  recoveredBy?: { chainId: string; lastSeq: number };
  /** Records signed after the last checkpoint (on an unterminated chain: what a tail deletion could have hidden). */
  afterLastCheckpoint: number;
  /** Key ids with no key given: those records could not be checked. */
  unknownKeyIds: { keyId: string; records: number }[];
  unsupportedVersions: number;
  ok: boolean;
}

export interface VerifyReport {
  chains: ChainReport[];
  /** Spans without chain attributes (other services, or the chain was off). */
  unchained: number;
  /** Records with malformed chain attributes and no readable chain id. */
  orphanAltered: AlteredRecord[];
  /** Input that could not be read: malformed JSON, unknown shapes, oversized lines. */
  malformed: { count: number; samples: string[] };
  /** Why the whole verification failed, in plain words; empty when ok. */
  problems: string[];
  ok: boolean;
}
