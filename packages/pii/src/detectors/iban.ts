import { getCountrySpecifications } from 'ibantools';
import type { Detector } from '../detector';
import { isAsciiAlnumCode, wordCharBefore } from './boundaries';
import { type AtDigitRuns, nextAtDigitRuns, skipRun, tryOnlyAt } from './near-digits';

/**
 * IBANs, written compactly or in groups separated by single spaces or dashes, upper or lower case. The
 * country code fixes the length (ibantools' registry), so exactly that many characters are read after
 * it and a following word is never swallowed; the check digits must satisfy mod-97 and the BBAN the
 * country's format. The mod-97 is computed here, in one pass without building strings: ibantools'
 * own `isValidIBAN` was the largest cost on IBAN-dense text.
 */
// Not after a letter or digit, unless that is the letter of a JSON escape (`\nGB82…` in a message
// attribute: the prompt's line break is the two characters `\` `n`); wordCharBefore decides those.
export const IBAN_START = /(?<!(?<!\\)[A-Za-z0-9])[A-Za-z]{2}[0-9]{2}/g;

/**
 * IBAN starts: the digits begin a run of at least two (a letter is before them), so on text with few
 * digits the pattern is tried two characters before such runs only.
 */
const IBAN_AT_RUNS: AtDigitRuns = {
  search: IBAN_START,
  sticky: new RegExp(IBAN_START.source, 'y'),
  starts(_text, start, end, from, into) {
    if (start - 2 < from || end - start < 2) skipRun(into);
    else tryOnlyAt(into, start - 2);
  },
};

/** The next IBAN start from `from`. */
export const nextIbanStart = (text: string, spans: readonly number[] | undefined, cursor: { run: number }, from: number): RegExpExecArray | null =>
  nextAtDigitRuns(text, spans, IBAN_AT_RUNS, cursor, from);

interface CountryFormat {
  length: number;
  bban: RegExp;
}

let formats: Map<string, CountryFormat> | undefined;

/** The registry's formats, made at the first IBAN-shaped candidate rather than at load (issue 11, start-up). */
function countryFormats(): Map<string, CountryFormat> {
  if (formats) return formats;
  formats = new Map();
  for (const [country, spec] of Object.entries(getCountrySpecifications())) {
    if (spec.chars && spec.bban_regexp) formats.set(country, { length: spec.chars, bban: new RegExp(spec.bban_regexp) });
  }
  return formats;
}

/** Value of an IBAN character in the mod-97 check: digits as such, letters A=10 … Z=35. */
function checkValue(c: number): number {
  if (c <= 57) return c - 48;
  return (c >= 97 ? c - 97 : c - 65) + 10;
}

/** ISO 13616: move the first four characters to the end, read letters as two digits, mod 97 must be 1. */
export function ibanMod97Valid(compact: string): boolean {
  let remainder = 0;
  const n = compact.length;
  for (let k = 0; k < n; k++) {
    const value = checkValue(compact.charCodeAt((k + 4) % n));
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

const SEPARATORS = /[ -]/g;

/** The compact IBAN of `length` characters starting at `start`, and where it ends in the text. */
function readIban(text: string, start: number, length: number): { end: number; compact: string } | undefined {
  let count = 0;
  let separated = false;
  let i = start;
  while (i < text.length && count < length) {
    const c = text.charCodeAt(i);
    if (isAsciiAlnumCode(c)) {
      count++;
      i++;
    } else if ((c === 32 || c === 45) && count >= 4 && i + 1 < text.length && isAsciiAlnumCode(text.charCodeAt(i + 1))) {
      separated = true;
      i++;
    } else {
      return undefined;
    }
  }
  if (count !== length || (i < text.length && isAsciiAlnumCode(text.charCodeAt(i)))) return undefined;
  const raw = text.slice(start, i);
  return { end: i, compact: separated ? raw.replace(SEPARATORS, '') : raw };
}

export const ibanDetector: Detector = {
  type: 'IBAN',
  priority: 65,
  mayContain: (profile) => profile.hasDigits(4),
  find(text, report, profile) {
    const spans = profile.digitSpans();
    const cursor = { run: 0 };
    let from = 0;
    for (let match = nextIbanStart(text, spans, cursor, 0); match !== null; match = nextIbanStart(text, spans, cursor, from)) {
      const start = match.index;
      from = start + match[0].length;
      if (wordCharBefore(text, start)) continue;
      const format = countryFormats().get(match[0].slice(0, 2).toUpperCase());
      if (format === undefined) continue;
      const candidate = readIban(text, start, format.length);
      if (!candidate || !ibanMod97Valid(candidate.compact)) continue;
      if (!format.bban.test(candidate.compact.slice(4).toUpperCase())) continue;
      report(start, candidate.end);
      from = candidate.end;
    }
  },
};
