import type { Detector } from '../detector';

/**
 * US driver's licence and passport numbers, which have no checksum and look like any other id, so
 * only after their words: `driver's license`, `driver license`, `DL`, `licence no` → a 1–2 letter,
 * 4–14 digit token (most state formats; `D1234-5678-9012` included); `passport` → 9 digits or a
 * letter and 8 digits (the next-generation book). The number must come within 32 characters.
 */
const LICENSE =
  /\b(?:driver'?s? ?licen[cs]e|driving licen[cs]e|licen[cs]e (?:no|number|#)|DL)\b[^0-9A-Za-z]{0,4}(?:(?:no|number|num|#)[.:]?\s*)?(?:is\s+)?([A-Z][0-9]{3}-[0-9]{4}-[0-9]{4}|[A-Z][0-9]{4}-[0-9]{5}-[0-9]{5}|[A-Z]{0,2}[0-9]{4,14})(?![0-9A-Za-z-])/gi;
const PASSPORT =
  /\bpassport\b[^0-9A-Za-z]{0,4}(?:(?:no|number|num|#)[.:]?\s*)?(?:is\s+)?([A-Z]?[0-9]{8,9})(?![0-9A-Za-z])|여권\s*(?:번호)?\s*[:：]?\s*([A-Z][0-9]{8}|[A-Z]{2}[0-9]{7})(?![0-9A-Za-z])/gi;

function finder(pattern: RegExp): Detector['find'] {
  return (text, report) => {
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const value = match[1] ?? match[2]!;
      const start = match.index + match[0].length - value.length;
      report(start, start + value.length);
    }
  };
}

export const usDriverLicenseDetector: Detector = {
  type: 'US_DRIVER_LICENSE',
  priority: 50,
  mayContain: (profile) => profile.hasDigits(4) && /licen[cs]e|\bDL\b/i.test(profile.text),
  find: finder(LICENSE),
};

export const passportDetector: Detector = {
  type: 'PASSPORT',
  priority: 50,
  mayContain: (profile) => profile.hasDigits(7) && /passport|여권/i.test(profile.text),
  find: finder(PASSPORT),
};
