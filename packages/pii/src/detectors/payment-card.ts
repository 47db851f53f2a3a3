import type { Detector } from '../detector';
import { wordCharAt, wordCharBefore } from './boundaries';

/**
 * Payment card numbers: 13–19 digits, optionally grouped by single spaces or dashes, with a known
 * issuer prefix and a valid Luhn check digit. A run of digit groups is split on group boundaries, so a
 * card next to another number (`order 12 4111 1111 1111 1111`) is still found, but never a card inside
 * an unbroken longer digit string (an id, a hash).
 */
// Runs of at least 13 digits; shorter runs (most numbers in text) fail inside the regex engine.
const DIGIT_GROUP_RUN = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,}/g;

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

/** Issuer identification ranges of the card networks in use (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
export function knownIssuerPrefix(digits: string): boolean {
  const first = digits.charCodeAt(0) - 48;
  const second = digits.charCodeAt(1) - 48;
  switch (first) {
    case 4: // Visa
    case 5: // Mastercard 51–55, Maestro 50, 56–59
    case 6: // Discover, UnionPay, Maestro
      return true;
    case 3: // Diners 30, 36, 38, 39; JCB 35; Amex 34, 37
      return second === 0 || second >= 4;
    case 2: {
      // Mastercard 2221–2720
      const four = first * 1000 + second * 100 + (digits.charCodeAt(2) - 48) * 10 + (digits.charCodeAt(3) - 48);
      return four >= 2221 && four <= 2720;
    }
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

interface Group {
  start: number;
  end: number;
  digits: string;
}

function splitGroups(text: string, start: number, end: number): Group[] {
  const groups: Group[] = [];
  let groupStart = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text[i] === ' ' || text[i] === '-') {
      groups.push({ start: groupStart, end: i, digits: text.slice(groupStart, i) });
      groupStart = i + 1;
    }
  }
  return groups;
}

export const paymentCardDetector: Detector = {
  type: 'CREDIT_CARD',
  priority: 60,
  mayContain: (profile) => profile.hasDigits(13),
  find(text, report) {
    DIGIT_GROUP_RUN.lastIndex = 0;
    let run: RegExpExecArray | null;
    while ((run = DIGIT_GROUP_RUN.exec(text)) !== null) {
      const start = run.index;
      const end = start + run[0].length;
      // A decimal fraction (`3.1415926535897932`) is not a card.
      if (start >= 2 && text[start - 1] === '.' && /[0-9]/.test(text[start - 2]!)) continue;
      const groups = splitGroups(text, start, end);
      // A group glued to a letter (`visa13`, `a4111…f`) belongs to a word and cannot be part of a card.
      const first = wordCharBefore(text, start) ? 1 : 0;
      const last = wordCharAt(text, end) ? groups.length - 2 : groups.length - 1;
      // Longest valid window of whole groups, left to right, without overlap.
      let i = first;
      while (i <= last) {
        let best = -1;
        let digits = '';
        for (let j = i; j <= last; j++) {
          digits += groups[j]!.digits;
          if (digits.length > 19) break;
          if (isCardNumber(digits)) best = j;
        }
        if (best === -1) {
          i++;
          continue;
        }
        report(groups[i]!.start, groups[best]!.end);
        i = best + 1;
      }
    }
  },
};
