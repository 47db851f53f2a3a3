/**
 * A value cut at a length limit may end in the first part of a card number, IBAN, address or key that
 * no detector can recognise any more (`… card 4111 1111 11`). When a value is as long as a known limit,
 * its trailing fragment is treated as sensitive: a run of digits and separators (with a two-letter
 * IBAN country code in front), a token containing `@`, or a token starting like a key.
 */
const MAX_FRAGMENT = 512;
// The vendor prefixes of the api-keys detectors: a key cut short of its full length keeps its prefix.
// Stripe (`sk_live_`, `rk_test_`), GitLab, Hugging Face, npm and Slack were missing: their cut keys
// left up to the limit's worth of the key in the clear.
const SECRET_PREFIXES = [
  'sk-',
  'sk_',
  'rk_',
  'AKIA',
  'ASIA',
  'ABIA',
  'ACCA',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'glpat-',
  'hf_',
  'npm_',
  'xox',
  'AIza',
  'eyJ',
];
/** Words after which the next token is a credential (`Authorization: Bearer abc…` cut short of the bearer detector's minimum). */
const CREDENTIAL_SCHEMES = new Set(['bearer', 'basic', 'token', 'digest']);

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
  const userinfo = cutUserinfo(token);
  if (userinfo !== undefined) return { start: tokenStart + userinfo, type: 'URL_CREDENTIAL' };
  if (token.length > 0 && followsCredentialScheme(value, tokenStart)) return { start: tokenStart, type: 'SECRET' };
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

/**
 * A URL cut inside its userinfo, `postgres://app:Sup3rS` (the `@host` that lets the URL detector see a
 * password is gone): everything after `://`. A cut `host:port` (digits only after the colon) is not one.
 */
function cutUserinfo(token: string): number | undefined {
  const scheme = token.indexOf('://');
  if (scheme === -1) return undefined;
  const rest = token.slice(scheme + 3);
  const colon = rest.indexOf(':');
  if (colon === -1 || /[/?#@]/.test(rest) || /^\d*$/.test(rest.slice(colon + 1))) return undefined;
  return scheme + 3;
}

/**
 * Whether the token at `tokenStart` follows `Bearer` / `Basic` / `Token` / `Digest`, written as in a
 * header (capitalised, or after `:`, `=` or a quote): prose ("the bearer is") does not count.
 */
function followsCredentialScheme(value: string, tokenStart: number): boolean {
  let end = tokenStart;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  if (end === tokenStart) return false;
  let start = end;
  while (start > 0 && end - start < 8 && !isSpace(value.charCodeAt(start - 1))) start--;
  const word = value.slice(start, end);
  if (!CREDENTIAL_SCHEMES.has(word.toLowerCase())) return false;
  if (isUpper(word.charCodeAt(0))) return true;
  let before = start;
  while (before > 0 && value.charCodeAt(before - 1) === 32) before--;
  return before > 0 && ':="\''.includes(value[before - 1]!);
}
