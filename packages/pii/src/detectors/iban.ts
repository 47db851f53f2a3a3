import { getCountrySpecifications, isValidIBAN } from 'ibantools';
import type { Detector } from '../detector';
import { isAsciiAlnumCode, wordCharBefore } from './boundaries';

/**
 * IBANs, written compactly or in groups separated by single spaces or dashes, upper or lower case. The
 * country code fixes the length, so exactly that many characters are read after it (a following word
 * is never swallowed), and the result must pass ibantools' validation: mod-97 and the country's BBAN
 * format.
 */
const IBAN_START = /(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}/g;

const LENGTHS = new Map<string, number>();
for (const [country, spec] of Object.entries(getCountrySpecifications())) {
  if (spec.chars) LENGTHS.set(country, spec.chars);
}

/** End index of an IBAN of `length` characters starting at `start`, or -1. */
function ibanEnd(text: string, start: number, length: number): { end: number; compact: string } | undefined {
  let compact = '';
  let i = start;
  while (i < text.length && compact.length < length) {
    const c = text.charCodeAt(i);
    if (isAsciiAlnumCode(c)) {
      compact += text[i];
      i++;
    } else if ((c === 32 || c === 45) && compact.length >= 4 && i + 1 < text.length && isAsciiAlnumCode(text.charCodeAt(i + 1))) {
      i++;
    } else {
      return undefined;
    }
  }
  if (compact.length !== length) return undefined;
  if (i < text.length && isAsciiAlnumCode(text.charCodeAt(i))) return undefined;
  return { end: i, compact };
}

export const ibanDetector: Detector = {
  type: 'IBAN',
  priority: 65,
  mayContain: (profile) => profile.digits >= 4,
  find(text, report) {
    IBAN_START.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = IBAN_START.exec(text)) !== null) {
      const start = match.index;
      if (wordCharBefore(text, start)) continue;
      const length = LENGTHS.get(match[0].slice(0, 2).toUpperCase());
      if (length === undefined) continue;
      const candidate = ibanEnd(text, start, length);
      if (!candidate) continue;
      if (!isValidIBAN(candidate.compact.toUpperCase())) continue;
      report(start, candidate.end);
      IBAN_START.lastIndex = candidate.end;
    }
  },
};
