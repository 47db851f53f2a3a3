import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Detector } from '../detector';
import { keywordBefore } from './boundaries';

/**
 * Phone numbers: E.164 / international (`+82 10-1234-5678`) and national formats of the configured
 * regions (`(415) 555-2671`, `010-1234-5678`, `020 7946 0958`). A cheap shape pattern finds candidates;
 * libphonenumber-js decides (numbering plan and length per region). Its own text scanner
 * (`findNumbers`) measured 1.6 MB/s here on phone-dense text, hence the pre-filter. Dates and
 * identifiers with dashes are rejected by shape; an undelimited digit run counts only after a word
 * such as "phone" or "전화", or as a Korean mobile number (`01012345678`).
 */
// Groups are either delimited (one separator between groups) or one unbroken run, which keeps the
// pattern unambiguous: a candidate never backtracks through more than a few group lengths.
const CANDIDATE =
  /(?<![0-9A-Za-z+_\-/.#])(?:\+[1-9][0-9]{0,3}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?)?(?:[0-9]{1,5}(?:[ .-][0-9]{2,5}){1,5}|[0-9]{7,15})(?![0-9])/g;
const DATE_LIKE = /^(?:[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4})/;
const KR_MOBILE = /^01[016789][0-9]{7,8}$/;
const KEYWORDS = ['phone', 'tel', 'call', 'mobile', 'cell', 'fax', 'whatsapp', 'sms', 'text me', '전화', '연락처', '휴대폰', '핸드폰', '번호'];

export const DEFAULT_PHONE_REGIONS: readonly CountryCode[] = ['US', 'KR', 'GB'];

function countDigits(candidate: string): number {
  let n = 0;
  for (let i = 0; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function digitsOf(value: string): string {
  return value.replace(/[^0-9]/g, '');
}

/**
 * Valid in one of the regions as written: libphonenumber also accepts a national number whose trunk
 * prefix is missing (`123-456-7890` as a UK number), which is how ids look, so the number must carry
 * the prefix its region writes (`01234 567890`); NANP's optional leading `1` is allowed.
 */
function validInRegion(candidate: string, regions: readonly CountryCode[]): boolean {
  const written = digitsOf(candidate);
  for (const region of regions) {
    const phone = parsePhoneNumberFromString(candidate, region);
    if (!phone?.isValid()) continue;
    const national = digitsOf(phone.formatNational());
    if (written.endsWith(national) && written.length - national.length <= 1) return true;
  }
  return false;
}

export function createPhoneDetector(regions: readonly CountryCode[] = DEFAULT_PHONE_REGIONS): Detector {
  return {
    type: 'PHONE',
    priority: 40,
    mayContain: (profile) => profile.digits >= 7,
    find(text, report) {
      CANDIDATE.lastIndex = 0;
      let match: RegExpExecArray | null;
      let lower: string | undefined;
      while ((match = CANDIDATE.exec(text)) !== null) {
        const candidate = match[0];
        const start = match.index;
        const end = start + candidate.length;
        const next = text.charCodeAt(end);
        // Part of a longer identifier.
        if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122)) continue;
        const digits = countDigits(candidate);
        if (digits < 7 || digits > 15) continue;
        if (candidate.startsWith('+')) {
          if (parsePhoneNumberFromString(candidate)?.isValid()) report(start, end);
          continue;
        }
        if (DATE_LIKE.test(candidate)) continue;
        if (digits === candidate.length && !KR_MOBILE.test(candidate)) {
          lower ??= text.toLowerCase();
          if (!keywordBefore(lower, start, KEYWORDS, 32)) continue;
        }
        if (validInRegion(candidate, regions)) report(start, end);
      }
    },
  };
}
