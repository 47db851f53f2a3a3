/**
 * What a detector is. Built-in detectors implement `Detector` directly; users usually describe theirs as
 * a `PatternDetector` (a regular expression and an optional validator), which `fromPattern` turns
 * into a `Detector`.
 */

/** One piece of personal data or secret found in a string: `text.slice(start, end)` is the match. */
export interface Finding {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Facts about a string computed once and shared by every detector's pre-filter, so that text without
 * personal data is rejected by cheap checks before any detector's own pattern runs.
 */
export interface TextProfile {
  readonly text: string;
  /** True when the text holds at least `count` ASCII digits (a card needs 13, a phone number 7). */
  hasDigits(count: number): boolean;
  /**
   * True when `keyword` occurs in the text. The built-in keywords (`sk-`, `AKIA`, `ghp_`, `eyJ`, …, and
   * case-insensitively `bearer`, `aws`, `password` and `identified`) are all found in one pass; any other keyword is looked up on
   * its own, case-sensitively.
   */
  has(keyword: string): boolean;
  /**
   * Maximal runs of digits joined by single spaces, dashes or dots (`4111 1111 1111 1111`,
   * `900101-1234568`, `3.14`) holding at least `minDigits` digits, in order. Found in one pass and
   * shared, so the card, SSN and RRN detectors do not each scan the text.
   */
  digitRuns(minDigits: number): readonly DigitRun[];
  /**
   * The maximal runs of ASCII digits, as `[start, end, start, end, …]` (`end` exclusive), in order, when
   * the text has few digits (at most one in 32 characters); undefined otherwise, where one search of the
   * whole text costs less than a call per run. Found once and shared: detectors whose matches start at
   * or near a digit try their patterns only there.
   */
  digitSpans(): readonly number[] | undefined;
  /** The text in lower case (computed on first use). */
  lower(): string;
}

export interface DigitRun {
  readonly start: number;
  readonly end: number;
  readonly digits: number;
}

export interface Detector {
  /** Upper-case type name used in replacements (`<EMAIL>`), counts and per-type operators. */
  readonly type: string;
  /**
   * When two findings overlap the one with the higher priority is kept (then the longer one).
   * Built-ins use 10–95; secrets rank highest.
   */
  readonly priority: number;
  /** Cheap test on the whole text: false means `find` cannot match, so it is skipped. */
  mayContain(profile: TextProfile): boolean;
  /** Reports each validated match; must run in time linear in the text length. */
  find(text: string, report: (start: number, end: number, priority?: number) => void, profile: TextProfile): void;
}

/** A user detector: a pattern, and optionally a validator that confirms or rejects each match. */
export interface PatternDetector {
  type: string;
  /** Matched with the `g` flag added. It must be linear-time: no nested quantifiers that backtrack. */
  pattern: RegExp;
  /** Returns false to reject a match (e.g. a checksum that does not hold). */
  validate?(match: string): boolean;
  /**
   * Skip the pattern when none of these (lower-case) words occur in the text, as gitleaks does.
   * Without keywords the pattern runs on every string.
   */
  keywords?: string[];
  /** Default 80: above the built-in personal-data detectors, below the built-in secret formats. */
  priority?: number;
}
