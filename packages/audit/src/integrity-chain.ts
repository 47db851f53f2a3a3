import { diag, type Attributes } from '@opentelemetry/api';
import { defaultResource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { hash, KeyObject, randomBytes } from 'node:crypto';
import { attributesSection, macOfSections, sectionsWith } from './canonical';
import {
  ATTR_CHAIN_DIGESTS,
  ATTR_CHAIN_ID,
  ATTR_CHAIN_KEY_ID,
  ATTR_CHAIN_MAC,
  ATTR_CHAIN_PREV_MAC,
  ATTR_CHAIN_PREV_SEQ,
  ATTR_CHAIN_SEQ,
  ATTR_CHAIN_VERSION,
  ATTR_CHECKPOINT,
  ATTR_CHECKPOINT_DIGEST,
  ATTR_CHECKPOINT_EXPORT_FAILED,
  ATTR_CHECKPOINT_LOST,
  ATTR_CHECKPOINT_NUMBERED,
  ATTR_CHECKPOINT_SIGNED,
  ATTR_CHECKPOINT_UNLISTED,
  ATTR_RECOVERED_CHAIN_ID,
  ATTR_RECOVERED_LAST_MAC,
  ATTR_RECOVERED_LAST_SEQ,
  CHAIN_VERSION,
  CHECKPOINT_SPAN_NAME,
  RECOVERY_SPAN_NAME,
} from './chain-attributes';
import { ChainNoteSpan, SignedReadableSpan } from './derived-spans';
import { recordWithoutAttributes } from './from-readable-span';
import { chainKey, DEFAULT_KEY_ID, type ChainKey } from './keys';
import { exportedAttributes } from './exported-attributes';
import { formatRanges } from './seq-ranges';

type Resource = ReadableSpan['resource'];

export interface IntegrityChainOptions {
  /**
   * At least 32 bytes; a string is its UTF-8 bytes. Or a key `loadKeyFromEnv`/`loadKeyFile` loaded (its
   * key id comes with it). Never the pseudonym key.
   */
  key: string | Uint8Array | ChainKey;
  /** Written into every record, so that keys rotate without breaking older records. Default 'default'. */
  keyId?: string;
  /** Only for tests and for reproducing a record; default: 128 random bits per chain (per process start). */
  chainId?: string;
}

export type CheckpointKind = 'periodic' | 'final';

/** What a later process learned about an older chain from that chain's spool (see `recoverySpan`). */
export interface RecoveredChainEnd {
  chainId: string;
  lastSeq: number;
  lastMac: string;
}

function isChainKey(key: IntegrityChainOptions['key']): key is ChainKey {
  return typeof key === 'object' && !(key instanceof Uint8Array) && key.key instanceof KeyObject;
}

/** Written into the exported attributes once the MAC is known (not covered by it). */
const RESULT_KEYS = [ATTR_CHAIN_MAC, ATTR_CHAIN_DIGESTS];

const digestInput = Buffer.alloc(64);

/** SHA-256(previous digest ‖ MAC bytes), one-shot: a `createHash` object per span cost ~0.7 µs more. */
function nextRunningDigest(previous: Buffer, mac: Buffer): Buffer {
  previous.copy(digestInput, 0);
  mac.copy(digestInput, 32);
  return hash('sha256', digestInput, 'buffer');
}

/** Bounds on what the chain remembers between checkpoints, whatever happens downstream. */
const MAX_PENDING = 100_000;
const MAX_LISTED_RANGES = 256;

/**
 * One chain: sequence numbers assigned when spans end (`number`, cheap, on the caller's path), MACs
 * computed when batches are exported (`sign`, in export order, off the caller's path), and the spans the
 * chain writes about itself (checkpoints, recovery notes). docs/integrity-chain.md specifies the links.
 */
export class IntegrityChain {
  readonly chainId: string;
  readonly keyId: string;
  private readonly key: ChainKey;
  private lastNumbered = 0;
  private lastSignedSeq = 0;
  private lastSignedMac = '';
  private signedCount = 0;
  private runningDigest: Buffer = Buffer.alloc(32);
  private readonly seqOf = new WeakMap<ReadableSpan, number>();
  private readonly signed = new WeakMap<ReadableSpan, ReadableSpan>();
  private readonly checkpoints = new WeakMap<ReadableSpan, CheckpointKind>();
  /** Numbered, not yet signed: seq → the checkpoint generation it was numbered in. */
  private readonly pending = new Map<number, number>();
  private generation = 0;
  private lost: number[] = [];
  /** Lost sequence numbers beyond what `lost` holds (bounded), only counted. */
  private lostUncounted = 0;
  private exportFailed: number[] = [];
  private numberedAtLastCheckpoint = 0;
  private lastResource: Resource | undefined;
  private finalCheckpointMade = false;

  constructor(options: IntegrityChainOptions) {
    this.key = isChainKey(options.key) ? options.key : chainKey(options.key, options.keyId ?? DEFAULT_KEY_ID);
    this.keyId = this.key.keyId;
    this.chainId = options.chainId ?? randomBytes(16).toString('hex');
  }

  /** The next sequence number, for a span that just ended. O(1), no crypto. */
  number(span: ReadableSpan): number {
    const existing = this.seqOf.get(span);
    if (existing !== undefined) return existing;
    const seq = ++this.lastNumbered;
    this.seqOf.set(span, seq);
    this.pending.set(seq, this.generation);
    if (this.pending.size > MAX_PENDING) this.declareOldestLost();
    this.lastResource = span.resource;
    return seq;
  }

  /** Whether the final checkpoint has been made: the chain ends there, nothing may follow it. */
  get finished(): boolean {
    return this.finalCheckpointMade;
  }

  /** Whether spans ended since the last checkpoint (the periodic timer skips an idle chain). */
  get hasNewSpans(): boolean {
    return this.lastNumbered > this.numberedAtLastCheckpoint;
  }

  /** A checkpoint span, already numbered; its checkpoint fields are filled in when it is signed. */
  checkpointSpan(kind: CheckpointKind): ReadableSpan {
    const span = new ChainNoteSpan(CHECKPOINT_SPAN_NAME, { [ATTR_CHECKPOINT]: kind }, this.noteResource());
    if (kind === 'final') this.finalCheckpointMade = true;
    this.checkpoints.set(span, kind);
    this.number(span);
    this.numberedAtLastCheckpoint = this.lastNumbered;
    return span;
  }

  /**
   * A span recording where an older chain ended, for a process that recovered that chain's spool after a
   * crash: the verifier then reports the old chain as crashed at that link instead of truncated.
   */
  recoverySpan(end: RecoveredChainEnd): ReadableSpan {
    const span = new ChainNoteSpan(
      RECOVERY_SPAN_NAME,
      { [ATTR_RECOVERED_CHAIN_ID]: end.chainId, [ATTR_RECOVERED_LAST_SEQ]: end.lastSeq, [ATTR_RECOVERED_LAST_MAC]: end.lastMac },
      this.noteResource(),
    );
    this.number(span);
    return span;
  }

  /**
   * Signs a batch right before it is serialised, in the order given: that order is the chain's. Returns
   * the spans to export (views with the chain's attributes). A span signed before is returned as it was
   * signed; a span that was never numbered is numbered now. Never throws: a span that cannot be signed
   * is exported unsigned, and its sequence number is declared lost at the next checkpoint.
   */
  sign(spans: readonly ReadableSpan[]): ReadableSpan[] {
    return spans.map((span) => {
      const done = this.signed.get(span);
      if (done) return done;
      try {
        const signedSpan = this.signOne(span);
        this.signed.set(span, signedSpan);
        return signedSpan;
      } catch (error) {
        // Its number is given and later spans are signed past it: declared lost at the next checkpoint,
        // or the verifier would see a skipped number nobody accounts for.
        this.declareUnsigned(span);
        diag.error('@llm-otel/audit: a span could not be signed; it is exported without a chain link and declared lost', error);
        return span;
      }
    });
  }

  /** The exporter reported these signed spans as not delivered: the next checkpoint says so. */
  recordExportFailure(spans: readonly ReadableSpan[]): void {
    for (const span of spans) {
      const seq = this.seqOf.get(span);
      if (seq !== undefined && this.exportFailed.length < MAX_PENDING) this.exportFailed.push(seq);
    }
  }

  /** Signed spans lost after signing by whoever holds them (a spool dropping a batch file), by number. */
  recordLostSeqs(seqs: readonly number[]): void {
    for (const seq of seqs) {
      if (Number.isSafeInteger(seq) && seq > 0 && seq <= this.lastNumbered && this.exportFailed.length < MAX_PENDING) this.exportFailed.push(seq);
    }
  }

  private signOne(span: ReadableSpan): ReadableSpan {
    const seq = this.number(span);
    const extra: Attributes = {
      [ATTR_CHAIN_VERSION]: CHAIN_VERSION,
      [ATTR_CHAIN_ID]: this.chainId,
      [ATTR_CHAIN_KEY_ID]: this.keyId,
      [ATTR_CHAIN_SEQ]: seq,
      [ATTR_CHAIN_PREV_SEQ]: this.lastSignedSeq,
      [ATTR_CHAIN_PREV_MAC]: this.lastSignedMac,
    };
    const checkpoint = this.checkpoints.get(span);
    if (checkpoint) Object.assign(extra, this.checkpointFields(checkpoint, seq));
    // One object: what is exported is exactly what is MACed (a span attribute named like ours is replaced).
    const { attributes, keys, values } = exportedAttributes(span.attributes, extra, RESULT_KEYS);
    const sections = sectionsWith(recordWithoutAttributes(span), attributesSection(keys, values));
    const { mac, digests, bytes } = macOfSections(this.key.key, sections);
    // Only once it is signed: a span whose signing throws stays pending, and is declared lost.
    this.pending.delete(seq);
    this.lastSignedSeq = seq;
    this.lastSignedMac = mac;
    this.signedCount += 1;
    this.runningDigest = nextRunningDigest(this.runningDigest, bytes);
    attributes[ATTR_CHAIN_MAC] = mac;
    attributes[ATTR_CHAIN_DIGESTS] = digests;
    return new SignedReadableSpan(span, attributes);
  }

  /**
   * Spans numbered two checkpoints ago and still unsigned were dropped between span end and export
   * (a full queue, a processor that lost them): the checkpoint lists them, so that the verifier can tell
   * a loss in the pipeline from a deletion in the store. A final checkpoint lists every unsigned one.
   */
  private checkpointFields(kind: CheckpointKind, ownSeq: number): Attributes {
    for (const [seq, generation] of this.pending) {
      if (seq !== ownSeq && (kind === 'final' || generation < this.generation)) {
        this.pending.delete(seq);
        this.noteLost(seq);
      }
    }
    this.generation += 1;
    const lost = formatRanges(
      this.lost.sort((a, b) => a - b),
      MAX_LISTED_RANGES,
    );
    const failed = formatRanges(
      this.exportFailed.sort((a, b) => a - b),
      MAX_LISTED_RANGES,
    );
    const unlisted = lost.unlisted + failed.unlisted + this.lostUncounted;
    this.lost = [];
    this.exportFailed = [];
    this.lostUncounted = 0;
    const fields: Attributes = {
      [ATTR_CHECKPOINT_NUMBERED]: this.lastNumbered,
      [ATTR_CHECKPOINT_SIGNED]: this.signedCount,
      [ATTR_CHECKPOINT_DIGEST]: this.runningDigest.toString('base64url'),
    };
    if (lost.text) fields[ATTR_CHECKPOINT_LOST] = lost.text;
    if (failed.text) fields[ATTR_CHECKPOINT_EXPORT_FAILED] = failed.text;
    if (unlisted > 0) fields[ATTR_CHECKPOINT_UNLISTED] = unlisted;
    return fields;
  }

  private declareUnsigned(span: ReadableSpan): void {
    const seq = this.seqOf.get(span);
    if (seq !== undefined && this.pending.delete(seq)) this.noteLost(seq);
  }

  private noteLost(seq: number): void {
    if (this.lost.length < MAX_PENDING) this.lost.push(seq);
    else this.lostUncounted += 1;
  }

  private declareOldestLost(): void {
    const oldest = this.pending.keys().next();
    if (oldest.done) return;
    this.pending.delete(oldest.value);
    this.noteLost(oldest.value);
  }

  private noteResource(): Resource {
    return this.lastResource ?? defaultResource();
  }
}
