import type { Detector } from '../detector';
import { keywordBefore, wordCharAt, wordCharBefore } from './boundaries';

/**
 * Korean resident registration numbers, `YYMMDD-GHIJKLX`. The seventh digit gives sex and century
 * (1,2,5,6: 1900s; 3,4,7,8: 2000s; 9,0: 1800s; 5–8 are foreigners), so the birth date is checked in
 * full. The check digit `(11 − Σdᵢwᵢ mod 11) mod 10` only raises confidence: numbers issued since
 * October 2020 end in random digits. Without the dash a 13-digit number needs the checksum or a
 * keyword nearby, since such runs are common.
 */
/** A whole digit run: six birth-date digits, an optional dash or space, seven more. */
const RRN = /^([0-9]{6})([- ]?)([0-9]{7})$/;
const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
const KEYWORDS = ['주민', '등록번호', '외국인', 'rrn', 'resident registration', 'registration number'];

const CENTURY: Record<string, number> = { '9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900, '3': 2000, '4': 2000, '7': 2000, '8': 2000 };

export function rrnChecksumValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return (11 - (sum % 11)) % 10 === digits.charCodeAt(12) - 48;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function rrnBirthDateValid(yy: string, mm: string, dd: string, genderDigit: string, now = new Date()): boolean {
  const month = Number(mm);
  const day = Number(dd);
  // Cheap rejection first: most 13-digit numbers are not dates at all.
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return false;
  const year = CENTURY[genderDigit]! + Number(yy);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return date.getTime() <= now.getTime();
}

export const krRrnDetector: Detector = {
  type: 'KR_RRN',
  priority: 58,
  mayContain: (profile) => profile.hasDigits(13),
  find(text, report, profile) {
    let lower: string | undefined;
    for (const run of profile.digitRuns(13)) {
      if (run.digits !== 13) continue;
      const { start, end } = run;
      const match = RRN.exec(text.slice(start, end));
      if (!match || wordCharBefore(text, start) || wordCharAt(text, end)) continue;
      const [, birth, separator, serial] = match;
      if (!rrnBirthDateValid(birth!.slice(0, 2), birth!.slice(2, 4), birth!.slice(4, 6), serial![0]!)) continue;
      const checksum = rrnChecksumValid(birth! + serial!);
      if (separator === '' && !checksum) {
        lower ??= text.toLowerCase();
        if (!keywordBefore(lower, start, KEYWORDS)) continue;
      }
      // A valid checksum outranks a payment card reading of the same 13 digits.
      report(start, end, checksum ? 62 : 58);
    }
  },
};
