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

export class Profile implements TextProfile {
  private keywords: Set<string> | undefined;
  private readonly runs = new Map<number, DigitRun[]>();
  private lowered: string | undefined;
  /** Digits counted so far, and where the count stopped (-1: at the end of the text): `hasDigits` resumes there. */
  private digits = 0;
  private countedTo = 0;

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
    if (this.digits >= count) return true;
    if (this.countedTo < 0) return false;
    const missing = count - this.digits;
    const next = (NEXT_DIGITS[missing] ??= new RegExp(`(?:[^0-9]*[0-9]){${missing}}`, 'y'));
    next.lastIndex = this.countedTo;
    if (next.test(this.text)) {
      this.digits = count;
      this.countedTo = next.lastIndex;
      return true;
    }
    this.digits += this.text.slice(this.countedTo).match(DIGIT)?.length ?? 0;
    this.countedTo = -1;
    return false;
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

  digitRuns(minDigits: number): readonly DigitRun[] {
    let runs = this.runs.get(minDigits);
    if (runs) return runs;
    if (minDigits > BASE_RUN_DIGITS) runs = this.digitRuns(BASE_RUN_DIGITS).filter((run) => run.digits >= minDigits);
    else runs = this.hasDigits(minDigits) ? collectRuns(this.text, minDigits === BASE_RUN_DIGITS ? LONG_DIGIT_RUN : DIGIT_RUN, minDigits) : [];
    this.runs.set(minDigits, runs);
    return runs;
  }

  lower(): string {
    return (this.lowered ??= this.text.toLowerCase());
  }
}
