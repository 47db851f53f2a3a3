import type { Detector } from '../detector';
import { type AtDigitRuns, nextAtDigitRuns, skipRun, tryOnlyAt } from './near-digits';

/**
 * Ages with context: `42 years old`, `42-year-old`, `42 y/o`, `aged 42`, `age: 42`, `turned 47`,
 * `I'll turn 21`, `when he was 65`, `I'm 42`, `42세`, `만 42세`, `42살입니다`, `나이 42`, `42 Jahre alt`,
 * `Alter: 42`, `42 ans`. A bare number of years (`5 years`) is a duration and is left alone, and so is
 * a number with a unit or noun after it (`turned 90 degrees`, `she was 5 minutes late`). 0–130 only.
 */
// Korean counts age with 세 (Sino-Korean numbers) or 살 (native), both followed by a particle or the
// copula (`42살입니다`, `42세예요`), never by another syllable of a noun (`세금` tax, `세대` household).
const KO_AGE_AFTER = String.raw`(?:이에요|이예요|예요|입니다|이다|이고|이며|이라|이|인|에|의|때|부터|까지|쯤|정도)?(?![가-힣])`;
const AGE_BODY = String.raw`(?<![0-9.,])([0-9]{1,3})(?:[ -]?(?:years?|yrs?)[ -]old|[ -]?y\/?o\b|[ -]year[ -]old| ?[세살]${KO_AGE_AFTER}| Jahre alt\b| ans\b)|(?:\b(?:aged?|age:|alter:|turn(?:s|ed|ing)?|(?:he|she|i|they|we) (?:was|were|is|am|are)|i['’]m|he['’]s|she['’]s)|나이(?:는|:)?) ?(?:of )?([0-9]{1,3})(?![0-9]|[.,][0-9]| ?(?:°|%|degrees?|percent|times|minutes|hours|days|weeks|months|km|miles|feet|ft|cm|kg|lbs|pounds|inches|pages|points|dollars|euros|items|people|steps|hundred|thousand|million|of))`;
/**
 * Every match of the pattern holds a whole run of one to three digits (its number), which starts at
 * most AGE_REACH characters after the match: right at it (`42 years old`), or after the longest context
 * word and `of` (`they were of 42`: 9 + 4). So the pattern is tried only in the AGE_REACH characters up to
 * each such run, sticky, with a lazy prefix that takes the starts in order: the first match there is
 * the leftmost one from that point, the one a global search of the whole text would find next (it
 * cost 4.4 µs per span of the bench/export mix over the whole text, measured; issue 11, third pass).
 * The groups: 1 the match from its start, 2 the number before the words, 3 the number after them.
 */
const AGE_REACH = 13;
const AGE_NEAR_RUN = new RegExp(`[^]{0,${AGE_REACH}}?(${AGE_BODY})`, 'iy');
/** The same groups as a search of the whole text, for text with many digits (and the tests' reference). */
export const AGE = new RegExp(`(${AGE_BODY})`, 'gi');
const MAX_AGE_DIGITS = 3;

// The gate before the pattern (which has no literal to scan for). The pronoun forms count only with
// the number right after them: `is`, `are` and `alter` alone are in most text, and a gate passing on
// every PII-dense bench prompt cost this detector 0.4× its speed. Two patterns, each of plain literals
// first: one with `\b(?:i am|…)` and `[0-9] ans` in it ran 3× slower than the old gate (measured).
const AGE_WORDS = /year|yrs?\b|y\/?o\b|age|turn|was|were|세|살|나이/i;
const MORE_AGE_WORDS = /alter:|jahre alt|[0-9] ans\b|(?:i am|i['’]m|he is|he['’]s|she is|she['’]s|we are|they are) [0-9]/i;

/** The gate of the original detector, asked only once a match is found (it costs more than the search near the runs). */
export const hasAgeWords = (text: string): boolean => AGE_WORDS.test(text) || MORE_AGE_WORDS.test(text);

/**
 * Ages near the digit runs: a match holds a run of at most MAX_AGE_DIGITS digits and starts at most
 * AGE_REACH characters before it (AGE_NEAR_RUN's window holds every start of one). A match anchored on
 * an earlier run was found at that run, so a match found here holds this run or a later one, and the
 * search goes on after its end.
 */
const AGE_AT_RUNS: AtDigitRuns = {
  search: AGE,
  sticky: AGE_NEAR_RUN,
  starts(_text, start, end, from, into) {
    if (start < from || end - start > MAX_AGE_DIGITS) skipRun(into);
    else tryOnlyAt(into, Math.max(from, start - AGE_REACH));
  },
};

export const ageDetector: Detector = {
  type: 'AGE',
  priority: 25,
  // The pattern has no literal to scan for, so it counts only when one of its words is there (it cost
  // a tenth of the masking time on PII-dense prompts without ages, measured). On text with few digits
  // the words are looked for once a match is found: near the digit runs that costs less than the
  // words' two passes over a text without one.
  mayContain: (profile) => profile.hasDigits(1),
  find(text, report, profile) {
    const spans = profile.digitSpans();
    let gate = spans ? undefined : hasAgeWords(text);
    if (gate === false) return;
    const cursor = { run: 0 };
    for (
      let match = nextAtDigitRuns(text, spans, AGE_AT_RUNS, cursor, 0);
      match !== null;
      match = nextAtDigitRuns(text, spans, AGE_AT_RUNS, cursor, match.index + match[0].length)
    ) {
      const value = match[2] ?? match[3]!;
      if (Number(value) > 130) continue;
      if (!(gate ??= hasAgeWords(text))) return;
      // The number is what is masked: "<AGE> years old" keeps the sentence readable.
      const found = match[1]!;
      const at = match.index + match[0].length - found.length;
      const offset = found.indexOf(value, match[2] ? 0 : found.length - value.length - 1);
      report(at + offset, at + offset + value.length);
    }
  },
};
