/**
 * A value cut at a length limit may end in the first part of a card number, IBAN, address or key that
 * no detector can recognise any more (`… card 4111 1111 11`). When a value is as long as a known limit,
 * its trailing fragment is treated as sensitive: a run of digits and separators (with a two-letter
 * IBAN country code in front), a token containing `@`, or a token starting like a key.
 */
const MAX_FRAGMENT = 512;
const SECRET_PREFIXES = ['sk-', 'AKIA', 'ASIA', 'ABIA', 'ACCA', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'AIza', 'eyJ'];

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39;
}

export interface TrailingFragment {
  start: number;
  type: string;
}

export function trailingFragment(value: string): TrailingFragment | undefined {
  const end = value.length;
  // The last whitespace- or quote-delimited token.
  let tokenStart = end;
  while (tokenStart > 0 && end - tokenStart < MAX_FRAGMENT && !isSpace(value.charCodeAt(tokenStart - 1))) tokenStart--;
  const token = value.slice(tokenStart);
  if (token.includes('@')) return { start: tokenStart, type: 'EMAIL' };
  for (const prefix of SECRET_PREFIXES) {
    const at = token.indexOf(prefix);
    if (at !== -1) return { start: tokenStart + at, type: 'SECRET' };
  }
  // Digits with single separators between them, read backwards.
  let start = end;
  let digits = 0;
  while (start > 0 && end - start < 64) {
    const c = value.charCodeAt(start - 1);
    if (isDigit(c)) {
      digits++;
      start--;
    } else if ((c === 32 || c === 45 || c === 46) && start - 2 >= 0 && isDigit(value.charCodeAt(start - 2))) {
      start--;
    } else break;
  }
  if (digits === 0) return undefined;
  if (start >= 2 && isUpper(value.charCodeAt(start - 1)) && isUpper(value.charCodeAt(start - 2))) start -= 2;
  return { start, type: 'TRUNCATED_NUMBER' };
}
