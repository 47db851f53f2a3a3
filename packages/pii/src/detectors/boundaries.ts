/**
 * Word-boundary tests shared by the detectors. They accept a JSON escape such as `\n` right before a
 * match as a boundary: message attributes (`gen_ai.input.messages`) are JSON strings, where a line
 * break in a prompt arrives as the two characters `\` `n` directly in front of the number or address.
 */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAsciiAlnumCode(c: number): boolean {
  return isDigitCode(c) || isAsciiLetterCode(c);
}

const BACKSLASH = 92;
/** Letters that follow a backslash in JSON escapes: \n \t \r \b \f. */
const JSON_ESCAPE_LETTERS = new Set([110, 116, 114, 98, 102]);

/** True when the character before `index` is a letter, digit or underscore that is not part of a JSON escape. */
export function wordCharBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  const c = text.charCodeAt(index - 1);
  if (!isAsciiAlnumCode(c) && c !== 95) return false;
  return !(JSON_ESCAPE_LETTERS.has(c) && index >= 2 && text.charCodeAt(index - 2) === BACKSLASH);
}

/** True when the character at `index` is a letter, digit or underscore. */
export function wordCharAt(text: string, index: number): boolean {
  if (index >= text.length) return false;
  const c = text.charCodeAt(index);
  return isAsciiAlnumCode(c) || c === 95;
}

/**
 * True when the digits at [start, end) continue a longer number: a digit, or a separator followed by a
 * digit, touches either side (e.g. the `123-45-6789` inside `1-123-45-6789-0`). A sentence-ending dot
 * or a comma is not a continuation.
 */
export function continuesNumber(text: string, start: number, end: number, separators: string): boolean {
  if (start > 0) {
    const before = text.charCodeAt(start - 1);
    if (isDigitCode(before)) return true;
    if (start > 1 && separators.includes(text[start - 1]!) && isDigitCode(text.charCodeAt(start - 2))) return true;
  }
  if (end < text.length) {
    const after = text.charCodeAt(end);
    if (isDigitCode(after)) return true;
    if (end + 1 < text.length && separators.includes(text[end]!) && isDigitCode(text.charCodeAt(end + 1))) return true;
  }
  return false;
}

/** True when one of `keywords` (lower case) occurs in the `window` characters before `index`. */
export function keywordBefore(lowerText: string, index: number, keywords: readonly string[], window = 48): boolean {
  const from = Math.max(0, index - window);
  const slice = lowerText.slice(from, index);
  for (const keyword of keywords) if (slice.includes(keyword)) return true;
  return false;
}
