/** Sequence numbers as "3,7-9": compact on a span, and bounded by `maxRanges`. */
export function formatRanges(sorted: number[], maxRanges: number): { text: string; unlisted: number } {
  const ranges: string[] = [];
  let unlisted = 0;
  for (let index = 0; index < sorted.length; ) {
    const first = sorted[index]!;
    let last = first;
    while (index + 1 < sorted.length && sorted[index + 1] === last + 1) last = sorted[++index]!;
    index += 1;
    if (ranges.length < maxRanges) ranges.push(first === last ? String(first) : `${first}-${last}`);
    else unlisted += last - first + 1;
  }
  return { text: ranges.join(','), unlisted };
}

/** Reads "3,7-9" back; malformed or absurd parts are skipped (the text is MAC-covered, but stay safe). */
export function parseRanges(text: unknown, maxRanges = 10_000): [number, number][] {
  if (typeof text !== 'string' || text === '') return [];
  const ranges: [number, number][] = [];
  for (const part of text.split(',', maxRanges)) {
    const match = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(part);
    if (!match) continue;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last >= first) ranges.push([first, last]);
  }
  return ranges;
}
