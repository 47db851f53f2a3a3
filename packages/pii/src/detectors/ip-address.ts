import { isIPv6 } from 'node:net';
import type { Detector } from '../detector';
import { wordCharAt, wordCharBefore } from './boundaries';

/**
 * IPv4 addresses with valid octets (0–255, no leading zeros beyond one digit), not part of a longer
 * dotted number (OIDs) and not a version string (`v1.2.3.4`, `version 10.0.0.1`, `버전 1.2.3.4`); IPv6 addresses as
 * Node's own parser accepts them, found as tokens of hex digits and colons with at least two colons.
 */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
// Not inside a longer dotted number (`1.3.6.1.4.1`: after a digit, or a digit and a dot), but after a
// dot that follows a word: `net.peer.203.0.113.7` is an address inside an attribute key.
const IPV4 = new RegExp(`(?<![0-9]|[0-9]\\.)(?:${OCTET}\\.){3}${OCTET}(?![0-9]|\\.[0-9])`, 'g');
const VERSION_BEFORE = /(?:\bv|\bver\.?|\bversion|버전)\s*$/i;

function isIpv6Code(c: number): boolean {
  // 0-9 A-F a-f : .
  return (c >= 48 && c <= 58) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102) || c === 46;
}

function hasDecimalDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

export const ipv4Detector: Detector = {
  type: 'IP_ADDRESS',
  priority: 50,
  mayContain: (profile) => profile.hasDigits(4) && profile.text.includes('.'),
  find(text, report) {
    IPV4.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = IPV4.exec(text)) !== null) {
      const start = match.index;
      const end = start + match[0].length;
      if (wordCharBefore(text, start) || wordCharAt(text, end)) continue;
      if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 10), start))) continue;
      report(start, end);
    }
  },
};

export const ipv6Detector: Detector = {
  type: 'IP_ADDRESS',
  priority: 50,
  mayContain: (profile) => profile.hasDigits(1) && profile.text.includes(':'),
  // From each colon, the surrounding run of hex digits, colons and dots is one token; the scan resumes
  // after it, so every character is looked at a bounded number of times.
  find(text, report) {
    let colon = text.indexOf(':');
    while (colon !== -1) {
      let start = colon;
      while (start > 0 && colon - start < 64 && isIpv6Code(text.charCodeAt(start - 1))) start--;
      let end = colon + 1;
      while (end < text.length && end - start < 64 && isIpv6Code(text.charCodeAt(end))) end++;
      const next = text.indexOf(':', end);
      let tokenEnd = end;
      while (tokenEnd > start && text.charCodeAt(tokenEnd - 1) === 46) tokenEnd--; // sentence-ending dot
      if (tokenEnd - start >= 3 && !wordCharBefore(text, start) && !wordCharAt(text, end) && text.charCodeAt(start) !== 46) {
        const token = text.slice(start, tokenEnd);
        if (hasDecimalDigit(token) && isIPv6(token)) report(start, tokenEnd);
      }
      colon = next;
    }
  },
};
