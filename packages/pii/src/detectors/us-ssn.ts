import type { Detector } from '../detector';
import { continuesNumber, keywordBefore, wordCharAt, wordCharBefore } from './boundaries';

/**
 * US Social Security numbers, `AAA-GG-SSSS` with one delimiter used throughout (dash or space), by the
 * rules Presidio applies: no area 000 or 666, no group 00, no serial 0000, not all one digit. Nine
 * undelimited digits are everywhere (order numbers, zip+4), so they count only after a keyword such
 * as "SSN". Areas 900–999 are kept: those are ITINs, just as sensitive.
 */
const SSN = /(?<![0-9])([0-9]{3})([- ]?)([0-9]{2})\2([0-9]{4})(?![0-9])/g;
const KEYWORDS = ['ssn', 'social security', 'taxpayer', 'itin', '사회보장'];

export function isSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || group === '00' || serial === '0000') return false;
  const all = area + group + serial;
  return !/^(\d)\1{8}$/.test(all);
}

export const usSsnDetector: Detector = {
  type: 'US_SSN',
  priority: 55,
  mayContain: (profile) => profile.hasDigits(9),
  find(text, report) {
    SSN.lastIndex = 0;
    let match: RegExpExecArray | null;
    let lower: string | undefined;
    while ((match = SSN.exec(text)) !== null) {
      const start = match.index;
      const end = start + match[0].length;
      if (wordCharBefore(text, start) || wordCharAt(text, end) || continuesNumber(text, start, end, '-. ')) continue;
      if (!isSsn(match[1]!, match[3]!, match[4]!)) continue;
      if (match[2] === '') {
        lower ??= text.toLowerCase();
        if (!keywordBefore(lower, start, KEYWORDS)) continue;
      }
      report(start, end);
    }
  },
};
