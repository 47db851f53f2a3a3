import type { Detector, TextProfile } from '../detector';
import { startsInsideJsonEscape } from './boundaries';
import { KNOWN_TLDS } from './tlds';

/**
 * E-mail addresses, found from each `@` outwards with bounded scans (64 characters of local part,
 * 253 of domain, as RFC 5321 allows), so the time is linear whatever the text. The domain must end in a
 * known top-level domain; trailing labels that are not (`a@b.com.Thanks`) are dropped.
 * Internationalised addresses (RFC 6531/6532) count too: letters of any script in the local part and
 * the domain (`josé@bücher.de`), and a top-level domain in a non-Latin script (`.рф`, `.中国`), all of
 * which are internationalised TLDs.
 */
const NON_ASCII_LETTER = /^[\p{L}\p{M}]$/u;
const NON_ASCII_TLD = /^[^\x00-\x7f]{2,}$/u;
const isNonAsciiLetter = (text: string, i: number): boolean => text.charCodeAt(i) >= 0x80 && NON_ASCII_LETTER.test(text[i]!);
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalCode(c: number): boolean {
  // A-Z a-z 0-9 . _ % + - (the unquoted local-part characters seen in practice)
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

const localAt = (text: string, i: number): boolean => isLocalCode(text.charCodeAt(i)) || isNonAsciiLetter(text, i);
const domainAt = (text: string, i: number): boolean => isDomainCode(text.charCodeAt(i)) || isNonAsciiLetter(text, i);

/** `start` moved past a leading run of non-ASCII letters when the rest up to `at` is ASCII. */
function scriptChangeStart(text: string, start: number, at: number): number {
  let i = start;
  while (i < at && text.charCodeAt(i) >= 0x80) i++;
  if (i === start || i === at) return start;
  for (let j = i; j < at; j++) if (text.charCodeAt(j) >= 0x80) return start;
  return i;
}

/** `end` cut before a trailing run of non-ASCII letters glued to an ASCII last label (`naver.com이고`). */
function scriptChangeEnd(text: string, at: number, end: number): number {
  let i = end;
  while (i > at + 1 && text.charCodeAt(i - 1) >= 0x80) i--;
  if (i === end || i === at + 1 || text.charCodeAt(i - 1) === 46) return end;
  let j = i;
  while (j > at + 1 && text.charCodeAt(j - 1) !== 46) {
    if (text.charCodeAt(j - 1) >= 0x80) return end;
    j--;
  }
  return i;
}

function localStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && at - start < MAX_LOCAL && localAt(text, start - 1)) start--;
  if (start > 0 && localAt(text, start - 1)) return -1; // longer than any real local part
  // `\nalice@…` inside a JSON string: the `n` belongs to the escape, not to the address.
  if (startsInsideJsonEscape(text, start)) start++;
  // Korean glues particles to words: in `메일은minsu@…` the address starts at the Latin letters.
  start = scriptChangeStart(text, start, at);
  while (start < at && (text[start] === '.' || text[start] === '-' || text[start] === '+')) start++;
  return start < at ? start : -1;
}

/** True when [start, end) is a dot-separated list of non-empty labels of ≤ 63 characters not starting or ending with `-`. */
function labelsValid(text: string, start: number, end: number): boolean {
  let labelStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== 46) continue;
    const length = i - labelStart;
    if (length === 0 || length > 63 || text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return false;
    labelStart = i + 1;
  }
  return true;
}

/** End of the domain after `@` at `at`, cut back to the last label that is a known TLD; -1 if none. */
function domainEnd(text: string, at: number): number {
  let end = at + 1;
  while (end < text.length && end - at - 1 < MAX_DOMAIN && domainAt(text, end)) end++;
  end = scriptChangeEnd(text, at, end);
  // Walk back from the last label to the first one that is a TLD, keeping at least two labels.
  let labelEnd = end;
  while (labelEnd > at + 1) {
    // Searched by hand within the domain: lastIndexOf would run back through the whole text.
    let dot = labelEnd - 1;
    while (dot > at + 1 && text.charCodeAt(dot) !== 46) dot--;
    if (dot <= at + 1) return -1;
    const tld = text.slice(dot + 1, labelEnd);
    if (tld.length >= 2 && (KNOWN_TLDS.has(tld.toLowerCase()) || NON_ASCII_TLD.test(tld))) return labelsValid(text, at + 1, labelEnd) ? labelEnd : -1;
    labelEnd = dot;
  }
  return -1;
}

export const emailDetector: Detector = {
  type: 'EMAIL',
  priority: 70,
  mayContain: (profile: TextProfile) => profile.text.includes('@'),
  find(text, report) {
    let at = text.indexOf('@');
    let scannedTo = 0;
    while (at !== -1) {
      const start = localStart(text, at);
      if (start >= scannedTo && start !== -1) {
        const local = text.slice(start, at);
        const end = local.includes('..') || local.endsWith('.') ? -1 : domainEnd(text, at);
        if (end !== -1) {
          report(start, end);
          scannedTo = end;
        }
      }
      at = text.indexOf('@', at + 1);
    }
  },
};
