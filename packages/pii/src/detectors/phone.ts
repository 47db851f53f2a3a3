import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js';
import type { Detector } from '../detector';
import { type AtDigitRuns, nextAtDigitRuns } from './near-digits';
import { NUMBERING_PLANS, type NumberingPlan } from './phone-plans';

/**
 * Phone numbers: E.164 / international (`+82 10-1234-5678`) and national formats of the configured
 * regions (`(415) 555-2671`, `010-1234-5678`, `020 7946 0958`). A cheap shape pattern finds candidates;
 * numbering-plan rules decide for the US, Canada, Korea and the UK, libphonenumber-js for every other
 * region and calling code. libphonenumber-js's own text scanner (`findNumbers`) measured 1.3 MB/s on
 * phone-dense text here, hence the pre-filter. Dates and identifiers with dashes are rejected by shape;
 * an undelimited digit run counts only after a word such as "phone" or "전화", or as a Korean mobile
 * number (`01012345678`).
 */
// Groups are either delimited (one separator between groups) or one unbroken run, which keeps the
// pattern unambiguous: a candidate never backtracks through more than a few group lengths.
// The first group has up to six digits: India writes a mobile number after its trunk 0 as
// `098765 43210`. A `/` between groups (`030/12345678`, German) counts only after a phone word.
export const CANDIDATE =
  /(?<!(?<!\\)[0-9A-Za-z+_\-/.#])(?:\+[1-9][0-9]{0,3}[ .-]?)?(?:\([0-9]{1,4}\)[ .-]?)?(?:[0-9]{1,6}(?:\/[0-9]{3,8}(?:[ .-][0-9]{2,8}){0,3}|(?:[ .-][0-9]{2,8}){1,5})|[0-9]{7,15})(?![0-9])/g;
/**
 * A candidate starts with `+` or `(` right before a digit run, at a run's first digit, or at its second
 * when a backslash is before the run (the lookbehind lets `\1` pass), so on text with few digits it is
 * tried there only.
 */
const CANDIDATE_AT_RUNS: AtDigitRuns = {
  search: CANDIDATE,
  sticky: new RegExp(CANDIDATE.source, 'y'),
  starts(text, start, end, from, into) {
    const before = text.charCodeAt(start - 1);
    into.first = Math.max(before === 43 /* + */ || before === 40 /* ( */ ? start - 1 : start, from);
    into.last = before === 92 /* \ */ && end - start >= 2 ? start + 1 : start;
  },
};

/** The next candidate from `from`. */
export const nextCandidate = (text: string, spans: readonly number[] | undefined, cursor: { run: number }, from: number): RegExpExecArray | null =>
  nextAtDigitRuns(text, spans, CANDIDATE_AT_RUNS, cursor, from);

const DATE_LIKE = /^(?:[0-9]{4}[-./][0-9]{1,2}[-./][0-9]{1,2}|[0-9]{1,2}[-./][0-9]{1,2}[-./][0-9]{2,4})/;
const KR_MOBILE = /^01[016789][0-9]{7,8}$/;
const ZIP_PLUS_4 = /^[0-9]{5}-[0-9]{4}$/;
const STATE_BEFORE = /\b[A-Z]{2},? $/;
const KEYWORDS = /phone|tel|call|mobile|cell|fax|whatsapp|sms|text me|전화|연락처|휴대폰|핸드폰|번호/i;

// An extension after the number: `212-555-0147x203`, `ext. 12`, `#4`.
const EXTENSION = /^ ?(?:x|ext\.?|extension|#) ?[0-9]{1,6}(?![0-9A-Za-z])/i;
/**
 * Regions tried for a national number written without a country code when a phone word comes before it
 * (`tel 0491 57 03 22`, `phone: 01.42.68.53.00`): about 10 µs per region with libphonenumber-js, paid
 * only for candidates after such a word.
 */
const CONTEXT_REGIONS = [
  'AU',
  'FR',
  'DE',
  'SE',
  'NL',
  'BE',
  'CH',
  'AT',
  'ES',
  'IT',
  'PT',
  'IE',
  'DK',
  'NO',
  'FI',
  'PL',
  'CA',
  'NZ',
  'JP',
  'CN',
  'TW',
  'HK',
  'SG',
  'IN',
  'BR',
  'MX',
  'ZA',
];

// Words that say the next number is a phone number, for numbers no default region explains.
// `tel` as a word or the start of one of its European spellings (telefon, telefono, teléfono, telefone,
// telefoon, Telefonnummer), not of `tell` or `television`; the German, Spanish, Portuguese, Nordic,
// Finnish, Japanese and Chinese words for a phone or a mobile.
const PHONE_WORDS =
  /phone|\btel(?:\b|[.:]|e?f|éf)|\bcall|mobile|\bcell|\bfax|whatsapp|\bsms\b|\bhandy\b|\bmobil\b|rufnummer|m[oó]vil|celular|\bfone\b|\btlf\b|\bpuh\b|전화|연락처|휴대폰|핸드폰|電話|携帯|手[机機]|电话/i;
const PHONE_LABEL_AFTER = /^[ -]?\(?(?:office|fax|mobile|cell|home|work|phone|tel)\b/i;
/**
 * Library checks per scan for context-only candidates. Beyond it (text made of "tel 0123…" repeated) a
 * candidate after a phone word is masked without the check: masking more, never less, and linear.
 */
const CONTEXT_CHECK_BUDGET = 64;

export const DEFAULT_PHONE_REGIONS: readonly string[] = ['US', 'KR', 'GB'];

function digitsOf(value: string): string {
  let digits = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += value[i];
  }
  return digits;
}

type PhoneLibrary = typeof import('libphonenumber-js');
let library: PhoneLibrary | undefined;

/**
 * libphonenumber-js is loaded at the first candidate the numbering plans cannot decide, not at
 * import: its metadata cost every start-up ~30 ms and ~9.5 MiB (issue 11, bench/startup), and with
 * the default regions most text never needs it. `import.meta.url` in the CommonJS build is tsup's shim.
 */
function parsePhoneNumberFromString(...args: Parameters<PhoneLibrary['parsePhoneNumberFromString']>): ReturnType<PhoneLibrary['parsePhoneNumberFromString']> {
  library ??= createRequire(import.meta.url)('libphonenumber-js') as PhoneLibrary;
  return library.parsePhoneNumberFromString(...args);
}

const PLANS_BY_CALLING_CODE = [...new Set(Object.values(NUMBERING_PLANS))];

/**
 * libphonenumber-js also accepts a national number whose trunk prefix is missing (`123-456-7890` as a
 * UK number), which is how ids look, so the number must be written as its region writes it
 * (`01234 567890`); NANP's optional leading `1` is allowed.
 */
function validByLibrary(candidate: string, region: string): boolean {
  const phone = parsePhoneNumberFromString(candidate, { defaultCountry: region as CountryCode, extract: false });
  if (!phone?.isValid()) return false;
  const written = digitsOf(candidate);
  const national = digitsOf(phone.formatNational());
  return written.endsWith(national) && written.length - national.length <= 1;
}

function validInternational(written: string, writtenDigits: string): boolean {
  // `+46 (0)8 123 456 78`: the national trunk prefix in brackets is not dialled from abroad.
  const candidate = written.replace('(0)', '');
  const digits = candidate === written ? writtenDigits : digitsOf(candidate);
  for (const plan of PLANS_BY_CALLING_CODE) {
    if (digits.startsWith(plan.callingCode)) return plan.valid(plan.fromInternational(digits.slice(plan.callingCode.length)));
  }
  return parsePhoneNumberFromString(candidate, { extract: false })?.isValid() ?? false;
}

/** `1-536-22-1049-7`: a separator and a digit after the candidate make it a piece of a longer id. */
function partOfLongerId(text: string, end: number): boolean {
  const next = text.charCodeAt(end);
  const after = text.charCodeAt(end + 1);
  return (next === 45 || next === 46 || next === 47) && after >= 48 && after <= 57;
}

export function createPhoneDetector(regions: readonly string[] = DEFAULT_PHONE_REGIONS): Detector {
  const plans: NumberingPlan[] = [];
  const libraryRegions: string[] = [];
  for (const region of regions) {
    const plan = NUMBERING_PLANS[region.toUpperCase()];
    if (plan) {
      if (!plans.includes(plan)) plans.push(plan);
    } else libraryRegions.push(region.toUpperCase());
  }
  const validNational = (candidate: string, digits: string): boolean =>
    plans.some((plan) => plan.valid(digits)) || libraryRegions.some((region) => validByLibrary(candidate, region));

  return {
    type: 'PHONE',
    priority: 40,
    mayContain: (profile) => profile.hasDigits(7),
    find(text, report, profile) {
      let budget = CONTEXT_CHECK_BUDGET;
      const spans = profile.digitSpans();
      const cursor = { run: 0 };
      let from = 0;
      for (let match = nextCandidate(text, spans, cursor, 0); match !== null; match = nextCandidate(text, spans, cursor, from)) {
        const candidate = match[0];
        const start = match.index;
        const end = start + candidate.length;
        from = end;
        let next = text.charCodeAt(end);
        const extension = EXTENSION.exec(text.slice(end, end + 20));
        const reportEnd = extension ? end + extension[0].length : end;
        if (extension) next = 32;
        // Part of a longer identifier.
        if ((next >= 65 && next <= 90) || (next >= 97 && next <= 122)) continue;
        if (candidate.includes('/') && !PHONE_WORDS.test(text.slice(Math.max(0, start - 32), start))) {
          // `page 1/2024 010-1234-5678`: without a phone word the groups after the slash are read again on their own.
          from = start + candidate.indexOf('/') + 1;
          continue;
        }
        const digits = digitsOf(candidate);
        if (digits.length < 7 || digits.length > 15) continue;
        if (candidate.startsWith('+')) {
          if (validInternational(candidate, digits)) report(start, reportEnd);
          continue;
        }
        const before = text.slice(Math.max(0, start - 32), start);
        // `MA 02139-4307`: a ZIP+4 after a state is a postal code (the Korean plan reads 021394307 as Seoul).
        if (ZIP_PLUS_4.test(candidate) && STATE_BEFORE.test(before)) continue;
        // A phone word before the number, or a label after it as in address blocks (`416 60 039 office`);
        // looked for only when the answer matters (a number the plans accept needs none): the word list
        // is long, and testing it for every candidate cost a fifth of this detector's time (measured).
        let phoneWordFound: boolean | undefined;
        const phoneWord = (): boolean => (phoneWordFound ??= PHONE_WORDS.test(before) || PHONE_LABEL_AFTER.test(text.slice(reportEnd, reportEnd + 12)));
        // A phone word before it says `01.42.68.53.00` is a number, not a date followed by digits.
        if (DATE_LIKE.test(candidate) && !phoneWord()) continue;
        if (digits.length === candidate.length && !KR_MOBILE.test(candidate) && !phoneWord() && !KEYWORDS.test(before)) continue;
        if (validNational(candidate, digits)) {
          report(start, reportEnd);
        } else if (partOfLongerId(text, end)) {
        } else if (phoneWord() && budget-- > 0 ? CONTEXT_REGIONS.some((region) => validByLibrary(candidate, region)) : phoneWord()) {
          report(start, reportEnd);
        }
      }
    },
  };
}
