/**
 * Word-boundary tests shared by the detectors. They accept a JSON escape such as `\n` right before a
 * match as a boundary: message attributes (`gen_ai.input.messages`) are JSON strings, where a line
 * break in a prompt arrives as the two characters `\` `n` directly in front of the number or address.
 * The detectors' own regular expressions say the same with a nested lookbehind,
 * `(?<!(?<!\\)[A-Za-z0-9])`: "not after a letter or digit, unless a backslash comes before it". Without
 * it, every key, token and phone number at the start of a line in a prompt reached the backend
 * (found by test/adversarial/planted-secrets.test.ts).
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

/** True when one of `keywords` (lower case) occurs in the `window` characters before `index`. */
export function keywordBefore(lowerText: string, index: number, keywords: readonly string[], window = 48): boolean {
  const from = Math.max(0, index - window);
  const slice = lowerText.slice(from, index);
  for (const keyword of keywords) if (slice.includes(keyword)) return true;
  return false;
}

/** `"` or `'`. */
export function isQuoteCode(c: number): boolean {
  return c === 34 || c === 39;
}

/** A space or a tab. */
export function isBlankCode(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * True when the token starting at `start` begins with the letter of a JSON escape (`\nPassword`): the
 * caller moves its start past that letter.
 */
export function startsInsideJsonEscape(text: string, start: number): boolean {
  return start > 0 && text.charCodeAt(start - 1) === BACKSLASH && JSON_ESCAPE_LETTERS.has(text.charCodeAt(start));
}
