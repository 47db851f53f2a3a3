/**
 * Word patterns whose matches count only when a digit follows within a bounded distance (a birth word
 * before a date, an address word before a house number), searched for on text with few digits only in
 * the stretches before the digit runs (issue 11, third pass). A stretch starts after a character no
 * match can hold (a "break": a digit, a comma, a quote, a line break, …) at least `reach` characters
 * before its run, so a match before it ends before it, too far from the run to count, and the search
 * from there finds what a search of the whole text finds next; it ends at the run (no match holds a
 * digit). Runs closer together than `reach` share one stretch. Each stretch is one search of a slice
 * (with the break before it and the digit after it, so that `\b` reads the same characters), not a
 * sticky search per start: a lazy prefix in front of a large alternation cost twice the whole-text pass
 * (measured).
 */
const MAX_BREAK_LOOKBACK = 64;

export interface NearDigits {
  /** The pattern, global, without lookbehind; its matches hold no digit and no break character. */
  readonly pattern: RegExp;
  /** A match ending more than this many characters before the next digit counts for nothing. */
  readonly reach: number;
  readonly isBreak: (code: number) => boolean;
}

/**
 * The next match of `search.pattern` at or after `from` that can count, or null: on text with few digits
 * (`spans`, the profile's runs) found within the stretches before the runs, otherwise searched for over
 * the whole text. Its `index` is in the coordinates of `text`. `cursor` is the caller's, one per text,
 * and `from` never goes back between calls: each run and each stretch is found once, so many matches in
 * one long stretch cost linear time.
 */
export function nextNearDigits(
  text: string,
  spans: readonly number[] | undefined,
  search: NearDigits,
  cursor: NearDigitsCursor,
  from: number,
): RegExpExecArray | null {
  const { pattern, reach, isBreak } = search;
  if (!spans) {
    pattern.lastIndex = from;
    return pattern.exec(text);
  }
  for (;;) {
    // The stretch holding `from`, found once: its start, its last run, and the run after it.
    if (from >= cursor.end) {
      let i = cursor.next;
      while (i < spans.length && spans[i]! <= from) i += 2;
      if (i >= spans.length) return null;
      const run = spans[i]!;
      // A break at most MAX_BREAK_LOOKBACK characters further back, else the search starts at `from`:
      // bounded, so a text with many matches and few breaks is still read in linear time.
      cursor.start = from;
      for (let at = run - reach; at > from && at > run - reach - MAX_BREAK_LOOKBACK; at--) {
        if (isBreak(text.charCodeAt(at - 1))) {
          cursor.start = at;
          break;
        }
      }
      // The stretch goes on over the runs that follow within reach of the last one.
      let end = run;
      i += 2;
      while (i < spans.length && spans[i]! - reach <= end) {
        end = spans[i]!;
        i += 2;
      }
      cursor.end = end;
      cursor.next = i;
    }
    const start = Math.max(from, cursor.start);
    const sliceStart = start > 0 ? start - 1 : 0;
    pattern.lastIndex = start - sliceStart;
    const match = pattern.exec(text.slice(sliceStart, cursor.end + 1));
    if (match !== null) {
      match.index += sliceStart;
      return match;
    }
    from = cursor.end;
  }
}

/** Where a caller is in the runs of one text: the stretch last searched. Start with `newNearDigitsCursor()`. */
export interface NearDigitsCursor {
  start: number;
  end: number;
  next: number;
}

export const newNearDigitsCursor = (): NearDigitsCursor => ({ start: 0, end: -1, next: 0 });

/** An ASCII character other than a letter, the space, `.` and `:` (digits included). */
export const isWordPatternBreak = (code: number): boolean =>
  code < 128 && code !== 32 && code !== 46 && code !== 58 && !((code | 32) >= 97 && (code | 32) <= 122);

/**
 * A pattern that can only start at a few places next to a digit run (an IBAN's country code, a phone
 * number's `+` or `(`, an age's words, a house number): on text with few digits it is tried, sticky,
 * only there, in order; on other text it is searched for (issue 11, third pass).
 */
export interface AtDigitRuns {
  /** Global: searched for over the whole text when the text has many digits. */
  readonly search: RegExp;
  /** The same pattern, sticky: tried at the positions `starts` gives. */
  readonly sticky: RegExp;
  /**
   * Sets `into.first` and `into.last` (inclusive) to the positions to try for the run `[start, end)`,
   * the caller's search being at `from`; `first > last` skips the run.
   */
  readonly starts: (text: string, start: number, end: number, from: number, into: RunStarts) => void;
}

export interface RunStarts {
  first: number;
  last: number;
}

/** Shared by every call: nextAtDigitRuns is synchronous and `starts` calls nothing back. */
const positions: RunStarts = { first: 0, last: -1 };

/**
 * The next match of `pattern` at or after `from`, found at the digit runs (`spans`, the profile's runs)
 * or by a search of the whole text. `cursor` is the caller's, one per text: a run stays current until it
 * yields no more matches, so each run is tried once per match it holds.
 */
export function nextAtDigitRuns(
  text: string,
  spans: readonly number[] | undefined,
  pattern: AtDigitRuns,
  cursor: { run: number },
  from: number,
): RegExpExecArray | null {
  if (!spans) {
    pattern.search.lastIndex = from;
    return pattern.search.exec(text);
  }
  const { sticky, starts } = pattern;
  for (; cursor.run < spans.length; cursor.run += 2) {
    starts(text, spans[cursor.run]!, spans[cursor.run + 1]!, from, positions);
    for (let at = positions.first; at <= positions.last; at++) {
      sticky.lastIndex = at;
      const match = sticky.exec(text);
      if (match !== null) return match;
    }
  }
  return null;
}

/** Sets `into` to skip the run. */
export function skipRun(into: RunStarts): void {
  into.first = 0;
  into.last = -1;
}

/** Sets `into` to the one position `at`. */
export function tryOnlyAt(into: RunStarts, at: number): void {
  into.first = at;
  into.last = at;
}
