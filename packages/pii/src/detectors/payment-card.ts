import type { Detector } from '../detector';
import { isDigitCode, wordCharAt, wordCharBefore } from './boundaries';

/**
 * Payment card numbers: 13–19 digits, optionally grouped by single spaces or dashes, with a known
 * issuer prefix and length and a valid Luhn check digit. A run of digit groups is split on group
 * boundaries, so a card next to another number (`order 12 4111 1111 1111 1111`) is still found, but
 * never a card inside an unbroken longer digit string (an id, a hash) or a decimal number.
 */

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer identification ranges of the card networks in use and the lengths each issues: Visa 4 (13,
 * 16, 19), Mastercard 51–55 and 2221–2720 (16), Amex 34/37 (15), Diners 30/36/38/39 (14–19), JCB 35
 * (16–19), Discover/UnionPay/Maestro 6 (16–19; Maestro 50, 56–59 from 13), and the 15-digit ranges
 * of older issuers: JCB 1800 and 2131, UATP 1 (airline cards). 12-digit Maestro numbers are a separate
 * case (`maestro12`), only where the text says "card".
 */
export function knownIssuerPrefix(digits: string): boolean {
  const length = digits.length;
  const first = digits.charCodeAt(0) - 48;
  const second = digits.charCodeAt(1) - 48;
  switch (first) {
    case 4:
      return length === 13 || length === 16 || length === 19;
    case 5:
      return second >= 1 && second <= 5 ? length === 16 : true;
    case 6:
      return length >= 16;
    case 3:
      if (second === 4 || second === 7) return length === 15;
      if (second === 5) return length >= 16;
      return (second === 0 || second === 6 || second === 8 || second === 9) && length >= 14;
    case 2: {
      const four = first * 1000 + second * 100 + (digits.charCodeAt(2) - 48) * 10 + (digits.charCodeAt(3) - 48);
      if (four === 2131) return length === 15;
      return four >= 2221 && four <= 2720 && length === 16;
    }
    case 1:
      // UATP (15 digits, from 1); JCB's old 1800 range is inside it.
      return length === 15;
    default:
      return false;
  }
}

function allSameDigit(digits: string): boolean {
  for (let i = 1; i < digits.length; i++) if (digits[i] !== digits[0]) return false;
  return true;
}

export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && knownIssuerPrefix(digits) && !allSameDigit(digits) && luhnValid(digits);
}

/** Cards are written in groups of at least three digits (4-4-4-4, 4-6-5, 4-4-4-4-3), never digit by digit. */
const MIN_GROUP = 3;

/** End of the digit group starting at `from`. */
function groupEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/**
 * Card windows inside [start, end), a stretch of digit groups separated by single spaces or dashes.
 * A group glued to a letter (`visa13`, `a4111…f`) belongs to a word, and a group touching a dot is
 * part of a decimal number or a dotted address (`3.1415926535897932`); neither can be part of a card.
 */
function findInGroups(text: string, start: number, end: number, report: (start: number, end: number) => void, dotted = false): void {
  // `_` is a separator here, not part of a word: `card_4111111111111111`, `pan_4111…_exp` (issue 10).
  const gluedBefore =
    (wordCharBefore(text, start) && text.charCodeAt(start - 1) !== 95) ||
    (!dotted && text.charCodeAt(start - 1) === 46 && isDigitCode(text.charCodeAt(start - 2)));
  const gluedAfter =
    (wordCharAt(text, end) && text.charCodeAt(end) !== 95) || (!dotted && text.charCodeAt(end) === 46 && isDigitCode(text.charCodeAt(end + 1)));
  let groupStart = gluedBefore ? groupEnd(text, start) + 1 : start;
  // Longest valid window of whole groups, left to right, without overlap; no arrays are built, so a
  // megabyte of digit groups costs no allocation.
  while (groupStart < end) {
    const firstEnd = groupEnd(text, groupStart);
    const lead = text.charCodeAt(groupStart);
    let best = -1;
    // Issuers' first digits are 1–6; anything else cannot start a card.
    if (lead >= 49 && lead <= 54) {
      let digits = '';
      for (let s = groupStart; s < end; ) {
        const e = groupEnd(text, s);
        const size = e - s;
        if (digits.length + size > 19 || (size < MIN_GROUP && !(s === groupStart && size >= 13)) || (e === end && gluedAfter)) break;
        digits += text.slice(s, e);
        if (digits.length >= 13 && isCardNumber(digits)) best = e;
        s = e + 1;
      }
    }
    if (best !== -1) {
      report(groupStart, best);
      groupStart = best + 1;
    } else {
      groupStart = firstEnd + 1;
    }
  }
}

const DOTTED_CARD = /^[0-9]{4}(?:\.[0-9]{4}){2,3}(?:\.[0-9]{3})?$|^[0-9]{4}\.[0-9]{6}\.[0-9]{4,5}$/;

function isDottedCard(text: string, start: number, end: number): boolean {
  return end - start <= 23 && text.charCodeAt(start + 4) === 46 && DOTTED_CARD.test(text.slice(start, end));
}

// 12-digit Maestro (50, 56–69) only after a card word: twelve digits alone are as often an order number.
const MAESTRO_12 = /(?<![0-9A-Za-z])(5[06-9][0-9]{2}|6[0-9]{3})[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9A-Za-z])/g;
const CARD_WORDS = /card|maestro|카드/i;

export const maestro12Detector: Detector = {
  type: 'CREDIT_CARD',
  priority: 60,
  mayContain: (profile) => profile.hasDigits(12) && CARD_WORDS.test(profile.text),
  find(text, report, profile) {
    const lower = profile.lower();
    MAESTRO_12.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = MAESTRO_12.exec(text)) !== null) {
      const digits = match[1]! + match[2]! + match[3]!;
      const before = lower.slice(Math.max(0, match.index - 32), match.index);
      if (luhnValid(digits) && CARD_WORDS.test(before)) report(match.index, match.index + match[0].length);
    }
  },
};

/** The GS1 check digit of an EAN-13 / GTIN-14 (weights 3 and 1 from the right, before the check digit). */
function gs1Valid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 2, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (digits.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

const BARCODE_BEFORE = /\b(?:ean(?:-?13)?|gtin(?:-?1[34])?|barcode|bar code|upc)\b[^0-9a-z]{0,4}(?:(?:no|number|code)\b[^0-9a-z]{0,3})?$/;

/**
 * `EAN 5901234123457`: a 13- or 14-digit barcode after its name, with a valid GS1 check digit, is a
 * product, not a card, although one in ten passes Luhn and 13 digits from 5 is a Maestro length (the
 * bench's clean business text had one). Longer numbers after the word are still read as cards.
 */
function isBarcode(text: string, lower: string, start: number, end: number): boolean {
  const length = end - start;
  if (length !== 13 && length !== 14) return false;
  return BARCODE_BEFORE.test(lower.slice(Math.max(0, start - 24), start)) && gs1Valid(text.slice(start, end));
}

// `4111_1111_1111_1111`, `3782_822463_10005`: underscores between the groups (identifiers, file names).
const UNDERSCORED_CARD = /(?<![0-9A-Za-z])[0-9]{4}(?:_[0-9]{4}){2,3}(?:_[0-9]{3})?(?![0-9A-Za-z])|(?<![0-9A-Za-z])[0-9]{4}_[0-9]{6}_[0-9]{4,5}(?![0-9A-Za-z])/g;

const DIGIT_UNDERSCORE_DIGIT = /[0-9]_[0-9]/;
/** DIGIT_UNDERSCORE_DIGIT's answer: on text with few digits, two runs one `_` apart (issue 11, third pass). */
export function hasDigitUnderscoreDigit(text: string, spans: readonly number[] | undefined): boolean {
  if (!spans) return DIGIT_UNDERSCORE_DIGIT.test(text);
  for (let i = 1; i + 1 < spans.length; i += 2) if (spans[i + 1] === spans[i]! + 1 && text.charCodeAt(spans[i]!) === 95) return true;
  return false;
}

function findUnderscored(text: string, report: (start: number, end: number) => void): void {
  UNDERSCORED_CARD.lastIndex = 0;
  for (let match = UNDERSCORED_CARD.exec(text); match !== null; match = UNDERSCORED_CARD.exec(text)) {
    if (isCardNumber(match[0].replaceAll('_', ''))) report(match.index, match.index + match[0].length);
  }
}

export const paymentCardDetector: Detector = {
  type: 'CREDIT_CARD',
  priority: 60,
  mayContain: (profile) => profile.hasDigits(13),
  find(text, report, profile) {
    // Code has `_` everywhere; the pattern runs only where a digit touches one on both sides.
    if (hasDigitUnderscoreDigit(text, profile.digitSpans())) findUnderscored(text, report);
    for (const run of profile.digitRuns(13)) {
      if (isBarcode(text, profile.lower(), run.start, run.end)) continue;
      // `4111.1111.1111.1111`: dots between groups of four (or 4-6-5) are a way of writing a card, where
      // a decimal or a version has a short group somewhere (`3.1415926535897932`).
      if (isDottedCard(text, run.start, run.end)) {
        findInGroups(text, run.start, run.end, report, true);
        continue;
      }
      // Runs may contain dots; cards are looked for between them.
      let stretch = run.start;
      for (let i = run.start; i <= run.end; i++) {
        if (i < run.end && text.charCodeAt(i) !== 46) continue;
        if (i - stretch >= 13) findInGroups(text, stretch, i, report);
        stretch = i + 1;
      }
    }
  },
};
