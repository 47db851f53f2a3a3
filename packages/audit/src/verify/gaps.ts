import type { SeqRange } from './report';

/** Past this many missing numbers in one run, the run is reported whole, unclassified (hostile input). */
const MAX_CLASSIFIED_RUN = 100_000;
const MAX_RANGES = 1_000;

function pushSeq(ranges: SeqRange[], seq: number): void {
  const last = ranges.at(-1);
  if (last && last[1] === seq - 1) last[1] = seq;
  else if (ranges.length < MAX_RANGES) ranges.push([seq, seq]);
}

export interface Gaps {
  removed: SeqRange[];
  lost: SeqRange[];
  unaccounted: SeqRange[];
  missing: SeqRange[];
}

/**
 * The sequence numbers in [start, end] not present, each classified: lost (a checkpoint declared it
 * dropped before export, or failed in export), removed (a later link was signed after it, so it was
 * exported; or a checkpoint's count of signed links proves every number before it was signed),
 * unaccounted (a later link's `prev_seq` skipped it, so it was numbered and not yet signed then, and no
 * checkpoint declared it lost), or missing (nothing tells which).
 */
export function classifyGaps(
  start: number,
  end: number,
  present: (seq: number) => boolean,
  wasSigned: (seq: number) => boolean,
  declaredLost: readonly SeqRange[],
  wasSkipped: (seq: number) => boolean = () => false,
): Gaps {
  const removed: SeqRange[] = [];
  const lost: SeqRange[] = [];
  const unaccounted: SeqRange[] = [];
  const missing: SeqRange[] = [];
  const isLost = (seq: number) => declaredLost.some(([first, last]) => seq >= first && seq <= last);
  let runStart = -1;
  const closeRun = (runEnd: number) => {
    if (runEnd - runStart + 1 > MAX_CLASSIFIED_RUN) {
      if (missing.length < MAX_RANGES) missing.push([runStart, runEnd]);
      return;
    }
    for (let seq = runStart; seq <= runEnd; seq += 1) {
      // Lost first: an export that failed was signed, so a later link names it too.
      if (isLost(seq)) pushSeq(lost, seq);
      else if (wasSigned(seq)) pushSeq(removed, seq);
      else if (wasSkipped(seq)) pushSeq(unaccounted, seq);
      else pushSeq(missing, seq);
    }
  };
  // Walk only the present numbers' neighbourhoods would need a sorted list; the range is bounded by
  // MAC-verified numbers, so a plain walk is safe up to the bound below.
  if (end - start > 50_000_000) return { removed, lost, unaccounted, missing: [[start, end]] };
  for (let seq = start; seq <= end; seq += 1) {
    if (present(seq)) {
      if (runStart >= 0) closeRun(seq - 1);
      runStart = -1;
    } else if (runStart < 0) {
      runStart = seq;
    }
  }
  if (runStart >= 0) closeRun(end);
  return { removed, lost, unaccounted, missing };
}

/**
 * Whether a number lies strictly between some link's `prev_seq` and its `seq`: that link was signed
 * while the number was not (it was numbered earlier: numbers are given at span end). Merged ranges,
 * binary search: inputs with many concurrent exports skip often.
 */
export function skippedBy(links: readonly { seq: number; prevSeq: number }[]): (seq: number) => boolean {
  const merged = mergeRanges(links.filter((link) => link.seq - link.prevSeq > 1).map((link): SeqRange => [link.prevSeq + 1, link.seq - 1]));
  return (seq) => {
    let low = 0;
    let high = merged.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const [first, last] = merged[middle]!;
      if (seq < first) high = middle - 1;
      else if (seq > last) low = middle + 1;
      else return true;
    }
    return false;
  };
}

/** Sorted, overlapping and adjacent ranges joined; the input is not modified. */
export function mergeRanges(ranges: readonly SeqRange[]): SeqRange[] {
  const merged: SeqRange[] = [];
  for (const [first, last] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const previous = merged.at(-1);
    if (previous && first <= previous[1] + 1) previous[1] = Math.max(previous[1], last);
    else merged.push([first, last]);
  }
  return merged;
}
