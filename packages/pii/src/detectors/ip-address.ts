import { isIPv6 } from 'node:net';
import type { Detector } from '../detector';
import { wordCharAt, wordCharBefore } from './boundaries';

/**
 * IPv4 addresses with valid octets (0–255, no leading zeros beyond one digit), not part of a longer
 * dotted number (OIDs) and not a version string (`v1.2.3.4`, `version 10.0.0.1`); IPv6 addresses as
 * Node's own parser accepts them, found as tokens of hex digits and colons with at least two colons.
 */
const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`(?<![0-9.])(?:${OCTET}\\.){3}${OCTET}(?![0-9]|\\.[0-9])`, 'g');
const VERSION_BEFORE = /(?:\bv|\bver\.?|\bversion)\s*$/i;

// A token starts where no word character, colon or dot precedes it and holds two colons within its
// first ten characters, so ordinary words never start a scan.
const IPV6_TOKEN = /(?<![0-9A-Za-z:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]*/g;

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
  mayContain: (profile) => profile.digits >= 4 && profile.text.includes('.'),
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
  mayContain: (profile) => profile.text.includes(':'),
  find(text, report) {
    IPV6_TOKEN.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = IPV6_TOKEN.exec(text)) !== null) {
      let token = match[0];
      // A sentence may end right after the address.
      while (token.endsWith('.')) token = token.slice(0, -1);
      const start = match.index;
      const end = start + token.length;
      if (wordCharBefore(text, start) || wordCharAt(text, start + match[0].length)) continue;
      if (!hasDecimalDigit(token) || !isIPv6(token)) continue;
      report(start, end);
    }
  },
};
