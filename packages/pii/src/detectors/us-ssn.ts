import type { Detector } from '../detector';
import { keywordBefore, wordCharAt, wordCharBefore } from './boundaries';

/**
 * US Social Security numbers, `AAA-GG-SSSS` with one delimiter used throughout (dash or space), by the
 * rules Presidio applies: no area 000 or 666, no group 00, no serial 0000, not all one digit. Nine
 * undelimited digits are everywhere (order numbers, zip+4), so they count only after a keyword such
 * as "SSN". Areas 900–999 are kept: those are ITINs, just as sensitive. A number is an SSN only as a
 * whole digit run: `1-536-22-1049-7` or `536-22-1049.5` is part of something longer.
 */
const SSN = /^([0-9]{3})([- ]?)([0-9]{2})\2([0-9]{4})$/;
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
  find(text, report, profile) {
    let lower: string | undefined;
    for (const run of profile.digitRuns(9)) {
      if (run.digits !== 9) continue;
      const { start, end } = run;
      const match = SSN.exec(text.slice(start, end));
      if (!match || wordCharBefore(text, start) || wordCharAt(text, end)) continue;
      if (!isSsn(match[1]!, match[3]!, match[4]!)) continue;
      if (match[2] === '') {
        lower ??= text.toLowerCase();
        if (!keywordBefore(lower, start, KEYWORDS)) continue;
      }
      report(start, end);
    }
  },
};
