import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { changedSections, macRecord } from '../canonical';
import { CHAIN_VERSION } from '../chain-attributes';
import { parseRanges } from '../seq-ranges';
import type { SpanRecord } from '../span-record';
import { readChainFields, type CheckpointFields } from './chain-fields';
import { classifyGaps, mergeRanges, skippedBy, type Gaps } from './gaps';
import type { AlteredRecord, ChainConflict, ChainReport, Termination, VerifyReport } from './report';

export interface VerifierOptions {
  /** key id → key. */
  keys: ReadonlyMap<string, KeyObject | Buffer>;
  /** Only this trace: MACs are checked, completeness is not (the chain orders spans across traces). */
  traceId?: string;
  /** Only spans that ended in [since, until], microseconds since the epoch: completeness is checked inside. */
  sinceMicros?: bigint;
  untilMicros?: bigint;
  /** Fail when the chain's first link is not in the input (no retention has deleted anything yet). */
  requireGenesis?: boolean;
}

/** What is kept per verified record: a few numbers and two MACs, whatever the span's size. */
interface Link {
  seq: number;
  prevSeq: number;
  prevMac: string;
  mac: string;
  ordinal: number;
  inSelection: boolean;
  checkpoint?: CheckpointFields;
}

const MAX_LISTED = 100;
/** Real inputs hold a few chains per process start; past this the input is hostile or mixed up. */
const MAX_CHAINS = 10_000;

class ChainState {
  readonly links = new Map<number, Link>();
  /** Places taken by records that could not be verified (altered, unknown key): not gaps. */
  readonly unverifiedSeqs = new Set<number>();
  readonly keyIds = new Set<string>();
  readonly altered: AlteredRecord[] = [];
  alteredCount = 0;
  readonly conflicts: ChainConflict[] = [];
  conflictCount = 0;
  duplicates = 0;
  unsupportedVersions = 0;
  readonly unknownKeys = new Map<string, number>();

  constructor(readonly chainId: string) {}

  addAltered(record: AlteredRecord): void {
    this.alteredCount += 1;
    if (this.altered.length < MAX_LISTED) this.altered.push(record);
  }

  addConflict(conflict: ChainConflict): void {
    this.conflictCount += 1;
    if (this.conflicts.length < MAX_LISTED) this.conflicts.push(conflict);
  }
}

function macsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function describe(record: SpanRecord): Pick<AlteredRecord, 'traceId' | 'spanId' | 'name'> {
  return { traceId: record.traceId, spanId: record.spanId, name: record.name.slice(0, 200) };
}

/**
 * Verifies records in any order, one at a time (`add`), then reports per chain (`finish`). Memory grows
 * with the number of chained records (about 200 bytes each), never with their size.
 */
export class ChainVerifier {
  private readonly chains = new Map<string, ChainState>();
  private readonly recoveries = new Map<string, { byChain: string; lastSeq: number; lastMac: string }>();
  private readonly orphanAltered: AlteredRecord[] = [];
  private readonly malformedSamples: string[] = [];
  private malformedCount = 0;
  private unchained = 0;
  private ordinal = 0;

  constructor(private readonly options: VerifierOptions) {}

  /** Input that could not be read; `where` says where (never the content). */
  addMalformed(where: string): void {
    this.malformedCount += 1;
    if (this.malformedSamples.length < 20) this.malformedSamples.push(where.slice(0, 300));
  }

  add(record: SpanRecord): void {
    const ordinal = this.ordinal++;
    if (this.options.traceId !== undefined && record.traceId !== this.options.traceId) return;
    const fields = readChainFields(record);
    if (fields === undefined) {
      this.unchained += 1;
      return;
    }
    if ('problem' in fields) {
      const altered = { ...describe(record), reason: fields.problem };
      if (fields.chainId) this.chain(fields.chainId)?.addAltered(altered);
      else if (this.orphanAltered.length < MAX_LISTED) this.orphanAltered.push(altered);
      return;
    }
    const state = this.chain(fields.chainId);
    if (!state) return;
    state.keyIds.add(fields.keyId);
    if (fields.version !== CHAIN_VERSION) {
      state.unsupportedVersions += 1;
      state.unverifiedSeqs.add(fields.seq);
      return;
    }
    const key = this.options.keys.get(fields.keyId);
    if (!key) {
      state.unknownKeys.set(fields.keyId, (state.unknownKeys.get(fields.keyId) ?? 0) + 1);
      state.unverifiedSeqs.add(fields.seq);
      return;
    }
    const computed = macRecord(key, record);
    if (!macsEqual(computed.mac, fields.mac)) {
      const sections = changedSections(fields.digests, computed.digests);
      const reason =
        sections === undefined
          ? 'the MAC does not match and the stored digests are unreadable'
          : sections.length === 0
            ? 'the MAC does not match while every section is unchanged: signed with another key under this key id, or the MAC itself was changed'
            : `the MAC does not match: ${sections.join(', ')} changed`;
      state.addAltered({ seq: fields.seq, ...describe(record), ...(sections?.length ? { sections } : {}), reason });
      state.unverifiedSeqs.add(fields.seq);
      return;
    }
    const existing = state.links.get(fields.seq);
    if (existing) {
      if (existing.mac === fields.mac) state.duplicates += 1;
      else
        state.addConflict({
          seq: fields.seq,
          reason: 'two different records with valid MACs hold this place: the chain id was reused by another process, or records were replayed',
        });
      return;
    }
    const link: Link = {
      seq: fields.seq,
      prevSeq: fields.prevSeq,
      prevMac: fields.prevMac,
      mac: fields.mac,
      ordinal,
      inSelection: this.inTimeRange(record),
    };
    if (fields.checkpoint) link.checkpoint = fields.checkpoint;
    state.links.set(fields.seq, link);
    if (fields.recovered) {
      this.recoveries.set(fields.recovered.chainId, { byChain: fields.chainId, lastSeq: fields.recovered.lastSeq, lastMac: fields.recovered.lastMac });
    }
  }

  finish(): VerifyReport {
    const chains = [...this.chains.values()].map((state) => this.report(state));
    const problems: string[] = [];
    if (this.malformedCount > 0) problems.push(`${this.malformedCount} input records could not be read`);
    if (this.orphanAltered.length > 0) problems.push(`${this.orphanAltered.length} records carry unreadable chain attributes`);
    if (chains.length === 0) problems.push('no chained spans in the input');
    for (const chain of chains) if (!chain.ok) problems.push(`chain ${chain.chainId} does not verify`);
    return {
      chains,
      unchained: this.unchained,
      orphanAltered: this.orphanAltered,
      malformed: { count: this.malformedCount, samples: this.malformedSamples },
      problems,
      ok: problems.length === 0,
    };
  }

  /** The chain's state; undefined past MAX_CHAINS (hostile input: one chain id per record). */
  private chain(chainId: string): ChainState | undefined {
    let state = this.chains.get(chainId);
    if (!state) {
      if (this.chains.size >= MAX_CHAINS) {
        this.addMalformed(`more than ${MAX_CHAINS} chain ids in the input: a record of chain ${chainId} was not checked`);
        return undefined;
      }
      state = new ChainState(chainId);
      this.chains.set(chainId, state);
    }
    return state;
  }

  private get rangeMode(): boolean {
    return this.options.sinceMicros !== undefined || this.options.untilMicros !== undefined;
  }

  private inTimeRange(record: SpanRecord): boolean {
    const end = record.startMicros + record.durationMicros;
    if (this.options.sinceMicros !== undefined && end < this.options.sinceMicros) return false;
    if (this.options.untilMicros !== undefined && end > this.options.untilMicros) return false;
    return true;
  }

  private report(state: ChainState): ChainReport {
    const links = [...state.links.values()].sort((a, b) => a.seq - b.seq);
    const selected = links.filter((link) => link.inSelection);
    const checkpoints = links.filter((link) => link.checkpoint);
    const finals = checkpoints.filter((link) => link.checkpoint?.kind === 'final');
    const present = (seq: number) => state.links.has(seq) || state.unverifiedSeqs.has(seq);
    this.checkLinkage(state, links);

    let anchor: ChainReport['anchor'] = 'none';
    // The range is that of verified links only: a record that fails its MAC fills a place but cannot
    // stretch the range (a forged seq of 10^15 must not become a gap of 10^15).
    let start = links[0]?.seq ?? 0;
    let end = links.at(-1)?.seq ?? -1;
    let termination: Termination = 'not-checked';
    let recoveredBy: ChainReport['recoveredBy'];
    const trace = this.options.traceId !== undefined;
    if (this.rangeMode) {
      anchor = 'selection';
      start = selected[0]?.seq ?? 0;
      end = selected.at(-1)?.seq ?? -1;
    } else if (!trace) {
      // Without the first link, the input is taken to be what retention left: a suffix of the chain,
      // checked from its first record on. A checkpoint in it anchors the running digest; with none,
      // nothing in the input is attested beyond single records and the chain fails.
      const genesis = links.find((link) => link.prevSeq === 0);
      if (genesis) {
        anchor = 'genesis';
        start = 1;
      } else if (checkpoints[0] && !this.options.requireGenesis) {
        anchor = 'checkpoint';
      }
      for (const checkpoint of checkpoints) end = Math.max(end, checkpoint.checkpoint?.numbered ?? 0);
      const judged = this.judgeEnd(state, links, finals);
      termination = judged.termination;
      if (judged.recoveredBy) {
        recoveredBy = judged.recoveredBy;
        end = Math.max(end, judged.recoveredBy.lastSeq);
      }
    }

    const declared = declaredLost(checkpoints);
    const gaps: Gaps =
      trace || end < start
        ? { removed: [], lost: [], unaccounted: [], missing: [] }
        : classifyGaps(start, end, present, signedProof(links, checkpoints), declared, skippedBy(links));
    // Retention deletes the oldest records, not the chain's own word about them: numbers a checkpoint
    // declares lost before the first record in the input are lost all the same (a spool that evicted
    // its first batches before delivering anything leaves exactly this).
    if (!trace && !this.rangeMode && start > 1) gaps.lost.unshift(...lostBefore(start, declared, present));
    const lastCheckpoint = checkpoints.at(-1)?.seq ?? 0;
    const unknownKeyIds = [...state.unknownKeys].map(([keyId, records]) => ({ keyId, records }));
    const countable = this.rangeMode ? selected : links;
    const report: ChainReport = {
      chainId: state.chainId,
      keyIds: [...state.keyIds].sort(),
      verified: countable.length,
      firstSeq: countable[0]?.seq ?? 0,
      lastSeq: countable.at(-1)?.seq ?? 0,
      anchor,
      anchorSeq: start,
      altered: state.altered,
      alteredCount: state.alteredCount,
      ...gaps,
      duplicates: state.duplicates,
      conflicts: state.conflicts,
      conflictCount: state.conflictCount,
      reordered: countReordered(state.links),
      termination,
      afterLastCheckpoint: links.filter((link) => link.seq > lastCheckpoint).length,
      unknownKeyIds,
      unsupportedVersions: state.unsupportedVersions,
      ok: false,
    };
    if (recoveredBy) report.recoveredBy = recoveredBy;
    report.ok =
      report.alteredCount === 0 &&
      report.removed.length === 0 &&
      report.lost.length === 0 &&
      report.unaccounted.length === 0 &&
      report.missing.length === 0 &&
      report.conflictCount === 0 &&
      unknownKeyIds.length === 0 &&
      report.unsupportedVersions === 0 &&
      (trace || anchor !== 'none') &&
      termination !== 'unterminated';
    return report;
  }

  /**
   * How the chain ended: a final checkpoint (and nothing signed after it), a crash recorded by the
   * process that recovered its spool, or neither.
   */
  private judgeEnd(state: ChainState, links: Link[], finals: Link[]): { termination: Termination; recoveredBy?: { chainId: string; lastSeq: number } } {
    const final = finals[0];
    if (final) {
      if (finals.length > 1) state.addConflict({ seq: finals[1]!.seq, reason: 'a second final checkpoint' });
      for (const link of links) {
        if (link.seq > final.seq && link.prevSeq >= final.seq) state.addConflict({ seq: link.seq, reason: 'signed after the final checkpoint' });
      }
      return { termination: 'final-checkpoint' };
    }
    const recovery = this.recoveries.get(state.chainId);
    if (!recovery) return { termination: 'unterminated' };
    const last = state.links.get(recovery.lastSeq);
    if (last && last.mac !== recovery.lastMac) state.addConflict({ seq: last.seq, reason: 'the recovery record names a different last link' });
    return { termination: 'crashed', recoveredBy: { chainId: recovery.byChain, lastSeq: recovery.lastSeq } };
  }

  /**
   * Each link must name its predecessor's MAC, no two links may name the same predecessor, and each
   * checkpoint's running digest must match the MACs signed before it (followed from the anchor).
   */
  private checkLinkage(state: ChainState, links: Link[]): void {
    const successor = new Map<number, Link>();
    for (const link of links) {
      const before = state.links.get(link.prevSeq);
      if (before && !macsEqual(before.mac, link.prevMac)) {
        state.addConflict({ seq: link.seq, reason: `names a predecessor (seq ${link.prevSeq}) with a different MAC` });
      }
      if (successor.has(link.prevSeq)) {
        state.addConflict({ seq: link.seq, reason: `a second link after seq ${link.prevSeq}: a fork (chain id reused, or replay)` });
      } else {
        successor.set(link.prevSeq, link);
      }
    }
    let digest: Buffer | undefined;
    let current = successor.get(0);
    if (current) digest = Buffer.alloc(32);
    const checkpoints = links.filter((link) => link.checkpoint);
    let steps = 0;
    let lastSeen = 0;
    while (steps++ <= links.length) {
      if (!current) {
        // The walk broke at a gap (reported separately): pick it up at the next checkpoint.
        const next = checkpoints.find((link) => link.seq > lastSeen);
        if (!next) break;
        current = next;
        digest = undefined;
      }
      if (current.checkpoint) {
        const stored = Buffer.from(current.checkpoint.digest, 'base64url');
        if (digest && !digest.equals(stored)) {
          state.addConflict({ seq: current.seq, reason: 'the checkpoint digest does not match the links signed before it' });
        }
        digest = stored;
      }
      if (digest) digest = createHash('sha256').update(digest).update(Buffer.from(current.mac, 'base64url')).digest();
      lastSeen = Math.max(lastSeen, current.seq);
      current = successor.get(current.seq);
    }
  }
}

/**
 * Whether a number was signed: a later link names it as its predecessor, or it lies between two
 * checkpoints (or the chain's start and a checkpoint) whose counts of signed links say that every
 * number between them was signed. The second catches a run of consecutive records deleted together,
 * where only the last one is named by a survivor.
 */
function signedProof(links: Link[], checkpoints: Link[]): (seq: number) => boolean {
  const named = new Set(links.map((link) => link.prevSeq));
  const points = checkpoints.map((link) => ({ seq: link.seq, signed: link.checkpoint?.signed ?? 0 }));
  // The chain's start: nothing signed before seq 1 (as if a checkpoint at 0 had counted −1).
  if (links.some((link) => link.prevSeq === 0)) points.unshift({ seq: 0, signed: -1 });
  const complete: [number, number][] = [];
  for (let index = 1; index < points.length; index += 1) {
    const before = points[index - 1]!;
    const after = points[index]!;
    if (after.signed - before.signed === after.seq - before.seq) complete.push([before.seq, after.seq]);
  }
  return (seq) => named.has(seq) || complete.some(([first, last]) => seq > first && seq < last);
}

/** The declared ranges below `start`, clipped and merged, without the numbers that are present. */
function lostBefore(start: number, declared: readonly [number, number][], present: (seq: number) => boolean): [number, number][] {
  const below = mergeRanges(
    declared.filter(([first]) => first < start).map(([first, last]): [number, number] => [Math.max(first, 1), Math.min(last, start - 1)]),
  );
  // Every number in these ranges is declared: whatever classifyGaps finds absent is lost (a run too long
  // to walk comes back whole, as "missing": still declared, so listed as lost).
  return below.flatMap(([first, last]) => {
    const gaps = classifyGaps(first, last, present, () => false, below);
    return [...gaps.lost, ...gaps.missing];
  });
}

function declaredLost(checkpoints: Link[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const link of checkpoints) {
    if (!link.checkpoint) continue;
    ranges.push(...parseRanges(link.checkpoint.lost), ...parseRanges(link.checkpoint.exportFailed));
  }
  return ranges;
}

function countReordered(links: ReadonlyMap<number, Link>): number {
  let reordered = 0;
  for (const link of links.values()) {
    const before = links.get(link.prevSeq);
    if (before && before.ordinal > link.ordinal) reordered += 1;
  }
  return reordered;
}
