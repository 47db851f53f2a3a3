import type { Detector } from '../detector';
import { isWordPatternBreak, type NearDigits, newNearDigitsCursor, nextNearDigits } from './near-digits';

/**
 * Dates of birth: a date within 32 characters after a birth word (`born`, `DOB`, `date of birth`,
 * `birthday`, `생년월일`, `생일`, `출생`, `geboren`, `né le`, `fecha de nacimiento`). A date without such a
 * word is a date, not personal data, and is left alone. Dates: ISO `1961-04-12`, `04/12/1961`,
 * `12.04.1961`, `April 12, 1961`, `12 April 1961`, `1961년 4월 12일`, `19610412` after the word; the
 * Korean six digits `610412` and `61.04.12` (the first half of a resident registration number),
 * `12-Apr-1961`, a month and year (`April 1961`), and a birthday without its year (`12 April`, `April
 * 12th`, `4월 12일`), which HIPAA counts among the identifiers as every element of a date but the year.
 * Alternatives with a year come first: the first one that matches is taken, not the longest.
 */
const BIRTH_WORDS =
  /\b(?:born|d\.?o\.?b\.?|date of birth|birth ?date|birthday|geboren|geburtsdatum|né(?:e)? le|date de naissance|fecha de nacimiento|nacid[oa]|data di nascita)\b|생년월일|생일|출생/gi;
const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE = new RegExp(
  `(?<![0-9])(?:(?:19|20)[0-9]{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12][0-9]|3[01])|(?:0?[1-9]|[12][0-9]|3[01])[-./](?:0?[1-9]|[12][0-9]|3[01])[-./](?:19|20)?[0-9]{2}|(?:${MONTHS})\\.? (?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?,? (?:19|20)[0-9]{2}|(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)? (?:of )?(?:${MONTHS})\\.?,? (?:19|20)[0-9]{2}|(?:19|20)[0-9]{2} ?년 ?(?:0?[1-9]|1[0-2]) ?월 ?(?:0?[1-9]|[12][0-9]|3[01]) ?일|(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|(?:0?[1-9]|[12][0-9]|3[01])-(?:${MONTHS})-(?:19|20)?[0-9]{2}|(?:${MONTHS})\\.? (?:19|20)[0-9]{2}|[0-9]{2}\\.?(?:0[1-9]|1[0-2])\\.?(?:0[1-9]|[12][0-9]|3[01])|(?:${MONTHS})\\.? (?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?|(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)? (?:of )?(?:${MONTHS})|(?:0?[1-9]|1[0-2]) ?월 ?(?:0?[1-9]|[12][0-9]|3[01]) ?일)(?![0-9])`,
  'iy',
);
const WINDOW = 32;
// `1985.03.14생`, `1985년 3월 14일생`: a full date with 생 ("born") after it, not a word that starts with
// 생 (`생산` production, `생활`).
const DATE_THEN_SAENG = new RegExp(`${DATE.source}(?=생(?![가-힣])|생(?:이|입|으|인))`, 'gi');

/**
 * Every alternative of DATE holds a digit within its first 11 characters (`September. 1`) and a date
 * counts only when it starts within WINDOW characters of the word's end: a word ending more than
 * WINDOW + 11 characters before the next digit reports nothing and moves nothing.
 */
const BIRTH_WORDS_NEAR_DIGITS: NearDigits = { pattern: BIRTH_WORDS, reach: WINDOW + 11, isBreak: isWordPatternBreak };

export const dateOfBirthDetector: Detector = {
  type: 'DATE_OF_BIRTH',
  priority: 45,
  // Two digits: a birthday without its year (`생일: 3월 4일`).
  mayContain: (profile) => profile.hasDigits(2),
  find(text, report, profile) {
    if (text.includes('생')) {
      DATE_THEN_SAENG.lastIndex = 0;
      for (let m = DATE_THEN_SAENG.exec(text); m !== null; m = DATE_THEN_SAENG.exec(text)) if (/[0-9]{4}/.test(m[0])) report(m.index, m.index + m[0].length);
    }
    const spans = profile.digitSpans();
    const cursor = newNearDigitsCursor();
    let next = 0;
    for (
      let word = nextNearDigits(text, spans, BIRTH_WORDS_NEAR_DIGITS, cursor, 0);
      word !== null;
      word = nextNearDigits(text, spans, BIRTH_WORDS_NEAR_DIGITS, cursor, next)
    ) {
      // The first date in the window after the word, found by trying each start (the window is bounded).
      const from = word.index + word[0].length;
      next = from;
      for (let at = from; at < Math.min(text.length, from + WINDOW); at++) {
        DATE.lastIndex = at;
        const date = DATE.exec(text);
        if (date) {
          report(at, at + date[0].length);
          next = at + date[0].length;
          break;
        }
      }
    }
  },
};
