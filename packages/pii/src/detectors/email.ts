import type { Detector, TextProfile } from '../detector';
import { KNOWN_TLDS } from './tlds';

/**
 * E-mail addresses, found from each `@` outwards with bounded scans (64 characters of local part,
 * 253 of domain, as RFC 5321 allows), so the time is linear whatever the text. The domain must end in a
 * known top-level domain; trailing labels that are not (`a@b.com.Thanks`) are dropped.
 */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalCode(c: number): boolean {
  // A-Z a-z 0-9 . _ % + - (the unquoted local-part characters seen in practice)
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

const JSON_ESCAPE_LETTERS = 'ntrbf';

function localStart(text: string, at: number): number {
  let start = at;
  while (start > 0 && at - start < MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1))) start--;
  if (start > 0 && isLocalCode(text.charCodeAt(start - 1))) return -1; // longer than any real local part
  // `\nalice@…` inside a JSON string: the `n` belongs to the escape, not to the address.
  if (start > 0 && text.charCodeAt(start - 1) === 92 && JSON_ESCAPE_LETTERS.includes(text[start]!)) start++;
  while (start < at && (text[start] === '.' || text[start] === '-' || text[start] === '+')) start++;
  return start < at ? start : -1;
}

/** End of the domain after `@` at `at`, cut back to the last label that is a known TLD; -1 if none. */
function domainEnd(text: string, at: number): number {
  let end = at + 1;
  while (end < text.length && end - at - 1 < MAX_DOMAIN && isDomainCode(text.charCodeAt(end))) end++;
  const domain = text.slice(at + 1, end);
  const labels = domain.split('.');
  // Walk back from the last label to the first one that is a TLD, keeping at least two labels.
  for (let last = labels.length - 1; last >= 1; last--) {
    const tld = labels[last]!.toLowerCase();
    if (!KNOWN_TLDS.has(tld)) continue;
    const kept = labels.slice(0, last + 1);
    if (kept.some((label) => label.length === 0 || label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return -1;
    return at + 1 + kept.join('.').length;
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
