import type { DigitRun, TextProfile } from './detector';

/**
 * The built-in detectors' keywords. Each case-sensitive one holds a character that prose seldom has
 * (`-`, `_`, `A`, `J`, `x`): those characters are found with `indexOf`, and at each the keywords that
 * hold it are checked at their offset. Every occurrence of a keyword holds its character, so the set
 * found is what a search for each keyword finds, overlaps included (`sk-----BEGIN`). The one
 * alternation of all keywords it replaces (`sk[-_]|AKIA|…`) was tried at every `s`, `e`, `h`, `n`, `g`
 * of the text. The four case-insensitive keywords keep one pass of their own.
 */
// Stripe's restricted `rk_` keys are not among them: the alternation this replaced fell off a cliff
// with `rk_` beside `[sr]k_` (~1 → ~0.3 GB/s, bench/pii), so no detector was written for them.
export const CASE_SENSITIVE_KEYWORDS = [
  'sk-',
  'sk_',
  'xox',
  'glpat-',
  '-----BEGIN',
  'hf_',
  'npm_',
  'AKIA',
  'ASIA',
  'ABIA',
  'ACCA',
  'AIza',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'eyJ',
];
const ANCHOR_CHARACTERS = '-_AJx';
/**
 * A keyword as looked for at its anchor: `offset` is where the anchor is in it, `probe` the position of
 * a neighbour of the anchor (relative to it) and `expected` that neighbour's code, compared before the
 * whole keyword (most anchors in prose, `pre-authorisation`, `Answer`, are not in a keyword).
 */
interface AnchoredKeyword {
  keyword: string;
  offset: number;
  probe: number;
  expected: number;
}
/** Per anchor character: the keywords holding it, at the offset of its first occurrence in each. */
const KEYWORDS_AT_ANCHOR: Array<{ anchor: string; keywords: AnchoredKeyword[] }> = [...ANCHOR_CHARACTERS].map((anchor) => ({ anchor, keywords: [] }));
for (const keyword of CASE_SENSITIVE_KEYWORDS) {
  let offset = 0;
  while (offset < keyword.length && !ANCHOR_CHARACTERS.includes(keyword[offset]!)) offset++;
  if (offset === keyword.length) throw new Error(`keyword ${keyword} has no anchor character`);
  const probe = offset > 0 ? -1 : 1;
  KEYWORDS_AT_ANCHOR.find((entry) => entry.anchor === keyword[offset])!.keywords.push({ keyword, offset, probe, expected: keyword.charCodeAt(offset + probe) });
}
const CASE_INSENSITIVE_PASS = /[Bb][Ee][Aa][Rr][Ee][Rr]|[Aa][Ww][Ss]|[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd]|[Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd]/g;
export const CASE_INSENSITIVE = new Set(['bearer', 'aws', 'password', 'identified']);
const PASS_KEYWORDS = new Set([...CASE_SENSITIVE_KEYWORDS, ...CASE_INSENSITIVE]);

/**
 * Every keyword of CASE_SENSITIVE_KEYWORDS that occurs in `text`, added to `found`. The anchors are
 * found with `indexOf`, one character at a time: a `/[-_AJx]/g` loop costs ~90 ns per call into the
 * engine, more than the search itself (bench/export mix: 1.9-2.3 µs per span for that loop or for the
 * old alternation, 0.4 for the five `indexOf` loops, measured).
 */
function findCaseSensitiveKeywords(text: string, found: Set<string>): void {
  for (const { anchor, keywords } of KEYWORDS_AT_ANCHOR) {
    for (let at = text.indexOf(anchor); at !== -1; at = text.indexOf(anchor, at + 1)) {
      for (const { keyword, offset, probe, expected } of keywords) {
        if (text.charCodeAt(at + probe) === expected && at >= offset && text.startsWith(keyword, at - offset)) found.add(keyword);
      }
    }
  }
}

/** `bearer`, `aws`, `password`, `identified` in any case, recorded in lower case. */
function findCaseInsensitiveKeywords(text: string, found: Set<string>): void {
  CASE_INSENSITIVE_PASS.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = CASE_INSENSITIVE_PASS.exec(text)) !== null) {
    found.add(match[0].toLowerCase());
    // Overlapping ones (`awsaws`, `bearerbearer`): go on from the next character, not past the match.
    CASE_INSENSITIVE_PASS.lastIndex = match.index + 1;
  }
}

// Runs of at least nine digits (the fewest any built-in detector needs). It starts with a digit and
// carries no lookbehind, so the engine skips non-digits quickly, and shorter runs fail inside the engine
// instead of being returned. A match is a whole run: one starting inside a run would need that run's
// tail to hold nine digits, in which case the run itself matched first and greedily.
const BASE_RUN_DIGITS = 9;
const DIGIT = /[0-9]/g;
/** `NEXT_DIGITS[k]` matches, from where it is placed, the text up to and including the k-th digit after it. */
const NEXT_DIGITS: RegExp[] = [];
const LONG_DIGIT_RUN = /[0-9](?:[ .-]?[0-9]){8,}/g;
const DIGIT_RUN = /[0-9](?:[ .-]?[0-9])*/g;

function collectRuns(text: string, pattern: RegExp, minDigits: number): DigitRun[] {
  const runs: DigitRun[] = [];
  pattern.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const run = match[0];
    let digits = 0;
    for (let i = 0; i < run.length; i++) {
      const c = run.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
    }
    if (digits >= minDigits) runs.push({ start: match.index, end: match.index + run.length, digits });
  }
  return runs;
}

/**
 * A text with at most one digit in this many characters has its maximal digit runs listed, in one
 * search per run, and the detectors whose matches start at or near a digit (AGE, house numbers) and
 * the joined runs of the card, SSN and RRN detectors work from that list, each pattern tried only at
 * the runs instead of over the whole text. On number-rich text a call per run (~55 ns) costs more than
 * the passes it replaces, so there the passes run (bench/export mix: ~9 runs per 950-byte message,
 * one pass ~1 µs per KB; bench/pii's PII-dense prompts: ~100 runs per KB, measured; issue 11, third pass).
 */
const CHARACTERS_PER_DIGIT = 32;
// One search per run, its start read back from its end: `test` builds no match object. An `indexOf`
// loop per digit character found the digits faster but cost more once sorted into runs (3.1 vs 1.3 µs
// per span of the bench/export mix, measured).
const DIGIT_RUN_PASS = /[0-9]+/g;
const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Maximal runs of ASCII digits in `text`, as `[start, end, start, end, …]`, or null as soon as they
 * hold more than `maxDigits` digits (the text is then searched whole: see CHARACTERS_PER_DIGIT).
 */
function findDigitSpans(text: string, maxDigits: number): number[] | null {
  const spans: number[] = [];
  let digits = 0;
  DIGIT_RUN_PASS.lastIndex = 0;
  while (DIGIT_RUN_PASS.test(text)) {
    const end = DIGIT_RUN_PASS.lastIndex;
    let start = end - 1;
    while (start > 0 && isDigitCode(text.charCodeAt(start - 1))) start--;
    digits += end - start;
    if (digits > maxDigits) return null;
    spans.push(start, end);
  }
  return spans;
}

const isRunSeparator = (c: number): boolean => c === 32 || c === 46 || c === 45;

/**
 * What `collectRuns` finds with DIGIT_RUN, built from the maximal runs: a match of
 * `[0-9](?:[ .-]?[0-9])*` is a whole chain of runs joined by single spaces, dots or dashes, taken
 * greedily from its first digit (a chain starting inside another has fewer digits).
 */
function joinSpans(text: string, spans: readonly number[], minDigits: number): DigitRun[] {
  const runs: DigitRun[] = [];
  for (let i = 0; i < spans.length; ) {
    const start = spans[i]!;
    let end = spans[i + 1]!;
    let digits = end - start;
    i += 2;
    while (i < spans.length && spans[i] === end + 1 && isRunSeparator(text.charCodeAt(end))) {
      digits += spans[i + 1]! - spans[i]!;
      end = spans[i + 1]!;
      i += 2;
    }
    if (digits >= minDigits) runs.push({ start, end, digits });
  }
  return runs;
}

export class Profile implements TextProfile {
  private keywords: Set<string> | undefined;
  private readonly runs = new Map<number, DigitRun[]>();
  private lowered: string | undefined;
  /** Digits counted so far, and where the count stopped (-1: at the end of the text): `hasDigits` resumes there. */
  private digits = 0;
  private countedTo = 0;
  private spans: number[] | null | undefined;

  constructor(readonly text: string) {}

  /**
   * One pass, shared by every question: digits are counted only as far as the largest count asked so
   * far needs, and the next question resumes there. The built-ins ask for 1, 2, 4, 7, 9, 12 and 13
   * digits; six anchored regular expressions (`^(?:[^0-9]*[0-9]){n}`) each read the whole of a text with
   * fewer digits (8 % of the masking time on the bench/export span mix, measured). Each question is one
   * sticky match of the digits still missing (`(?:[^0-9]*[0-9]){k}`, linear: the two classes are
   * disjoint), not one search per digit: a call into the engine costs ~90 ns, more than reading the
   * text between two digits (22 calls per span of the export mix before, 9 now). When the text has too
   * few, the rest are counted in one `match`.
   */
  hasDigits(count: number): boolean {
    if (this.reaches(count)) return true;
    if (this.countedTo >= 0) {
      this.digits += this.text.slice(this.countedTo).match(DIGIT)?.length ?? 0;
      this.countedTo = -1;
    }
    return false;
  }

  /** Whether the text holds `count` digits, counting on as far as that needs; a failure leaves the count as it was. */
  private reaches(count: number): boolean {
    if (this.digits >= count) return true;
    if (this.countedTo < 0) return false;
    const missing = count - this.digits;
    const next = (NEXT_DIGITS[missing] ??= new RegExp(`(?:[^0-9]*[0-9]){${missing}}`, 'y'));
    next.lastIndex = this.countedTo;
    if (!next.test(this.text)) return false;
    this.digits = count;
    this.countedTo = next.lastIndex;
    return true;
  }

  has(keyword: string): boolean {
    if (!PASS_KEYWORDS.has(keyword)) return this.text.includes(keyword);
    if (!this.keywords) {
      this.keywords = new Set();
      findCaseSensitiveKeywords(this.text, this.keywords);
      findCaseInsensitiveKeywords(this.text, this.keywords);
    }
    return this.keywords.has(keyword);
  }

  digitSpans(): readonly number[] | undefined {
    if (this.spans === undefined) {
      // Which way is a guess (both give the same findings), made cheaply: the digits counted so far
      // (the detectors before ask for up to 13) say whether the text looks number-rich; if so, the
      // count goes on to the bound, which ends soon on such text; if not, the runs are listed, given up
      // at the first one past the bound (each run listed in vain costs a call).
      const maxDigits = Math.floor(this.text.length / CHARACTERS_PER_DIGIT);
      const looksRich = this.countedTo > 0 && this.digits * CHARACTERS_PER_DIGIT > this.countedTo;
      this.spans = this.digits > maxDigits || (looksRich && this.reaches(maxDigits + 1)) ? null : findDigitSpans(this.text, maxDigits);
      if (this.spans) {
        let digits = 0;
        for (let i = 0; i < this.spans.length; i += 2) digits += this.spans[i + 1]! - this.spans[i]!;
        this.digits = digits;
        this.countedTo = -1;
      }
    }
    return this.spans ?? undefined;
  }

  digitRuns(minDigits: number): readonly DigitRun[] {
    let runs = this.runs.get(minDigits);
    if (runs) return runs;
    const spans = this.digitSpans();
    if (spans) runs = joinSpans(this.text, spans, minDigits);
    else if (minDigits > BASE_RUN_DIGITS) runs = this.digitRuns(BASE_RUN_DIGITS).filter((run) => run.digits >= minDigits);
    else runs = this.hasDigits(minDigits) ? collectRuns(this.text, minDigits === BASE_RUN_DIGITS ? LONG_DIGIT_RUN : DIGIT_RUN, minDigits) : [];
    this.runs.set(minDigits, runs);
    return runs;
  }

  lower(): string {
    return (this.lowered ??= this.text.toLowerCase());
  }
}
