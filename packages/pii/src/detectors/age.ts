import type { Detector } from '../detector';

/**
 * Ages with context: `42 years old`, `42-year-old`, `42 y/o`, `aged 42`, `age: 42`, `turned 47`,
 * `I'll turn 21`, `when he was 65`, `I'm 42`, `42세`, `만 42세`, `42살입니다`, `나이 42`, `42 Jahre alt`,
 * `Alter: 42`, `42 ans`. A bare number of years (`5 years`) is a duration and is left alone, and so is
 * a number with a unit or noun after it (`turned 90 degrees`, `she was 5 minutes late`). 0–130 only.
 */
// Korean counts age with 세 (Sino-Korean numbers) or 살 (native), both followed by a particle or the
// copula (`42살입니다`, `42세예요`), never by another syllable of a noun (`세금` tax, `세대` household).
const KO_AGE_AFTER = String.raw`(?:이에요|이예요|예요|입니다|이다|이고|이며|이라|이|인|에|의|때|부터|까지|쯤|정도)?(?![가-힣])`;
const AGE = new RegExp(
  String.raw`(?<![0-9.,])([0-9]{1,3})(?:[ -]?(?:years?|yrs?)[ -]old|[ -]?y\/?o\b|[ -]year[ -]old| ?[세살]${KO_AGE_AFTER}| Jahre alt\b| ans\b)|(?:\b(?:aged?|age:|alter:|turn(?:s|ed|ing)?|(?:he|she|i|they|we) (?:was|were|is|am|are)|i['’]m|he['’]s|she['’]s)|나이(?:는|:)?) ?(?:of )?([0-9]{1,3})(?![0-9]|[.,][0-9]| ?(?:°|%|degrees?|percent|times|minutes|hours|days|weeks|months|km|miles|feet|ft|cm|kg|lbs|pounds|inches|pages|points|dollars|euros|items|people|steps|hundred|thousand|million|of))`,
  'gi',
);

// The gate before the pattern (which has no literal to scan for). The pronoun forms count only with
// the number right after them: `is`, `are` and `alter` alone are in most text, and a gate passing on
// every PII-dense bench prompt cost this detector 0.4× its speed. Two patterns, each of plain literals
// first: one with `\b(?:i am|…)` and `[0-9] ans` in it ran 3× slower than the old gate (measured).
const AGE_WORDS = /year|yrs?\b|y\/?o\b|age|turn|was|were|세|살|나이/i;
const MORE_AGE_WORDS = /alter:|jahre alt|[0-9] ans\b|(?:i am|i['’]m|he is|he['’]s|she is|she['’]s|we are|they are) [0-9]/i;

export const ageDetector: Detector = {
  type: 'AGE',
  priority: 25,
  // The pattern has no literal to scan for, so it is run only when one of its words is there (it cost
  // a tenth of the masking time on PII-dense prompts without ages, measured).
  mayContain: (profile) => profile.hasDigits(1) && (AGE_WORDS.test(profile.text) || MORE_AGE_WORDS.test(profile.text)),
  find(text, report) {
    AGE.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = AGE.exec(text)) !== null) {
      const value = match[1] ?? match[2]!;
      if (Number(value) > 130) continue;
      // The number is what is masked: "<AGE> years old" keeps the sentence readable.
      const offset = match[0].indexOf(value, match[1] ? 0 : match[0].length - value.length - 1);
      report(match.index + offset, match.index + offset + value.length);
    }
  },
};
