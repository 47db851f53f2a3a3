import type { Detector } from '../detector';

/**
 * Ages with context: `42 years old`, `42-year-old`, `42 y/o`, `aged 42`, `age: 42`, `turned 47`,
 * `I'll turn 21`, `when he was 65`, `42세`, `만 42세`, `나이 42`. A bare number of years (`5 years`) is a
 * duration and is left alone, and so is a number with a unit or noun after it (`turned 90 degrees`,
 * `she was 5 minutes late`). 0–130 only.
 */
const AGE =
  /(?<![0-9.,])([0-9]{1,3})(?:[ -]?(?:years?|yrs?)[ -]old|[ -]?y\/?o\b|[ -]year[ -]old| ?세(?![가-힣]))|(?:\b(?:aged?|age:|turn(?:s|ed|ing)?|(?:he|she|i|they|we) (?:was|were|is|am|are))|나이(?:는|:)?) ?(?:of )?([0-9]{1,3})(?![0-9]|[.,][0-9]| ?(?:°|%|degrees?|percent|times|minutes|hours|days|weeks|months|km|miles|pages|points|dollars|euros|items|people|of))/gi;

const AGE_WORDS = /year|yrs?\b|y\/?o\b|age|turn|was|were|세|나이/i;

export const ageDetector: Detector = {
  type: 'AGE',
  priority: 25,
  // The pattern has no literal to scan for, so it is run only when one of its words is there (it cost
  // a tenth of the masking time on PII-dense prompts without ages, measured).
  mayContain: (profile) => profile.hasDigits(1) && AGE_WORDS.test(profile.text),
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
