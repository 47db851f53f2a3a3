import type { Detector } from '../detector';
import { isBlankCode, isQuoteCode, startsInsideJsonEscape } from './boundaries';

/**
 * A secret written as a name and a value, in text, JSON or escaped JSON inside a message attribute:
 * `password: hunter22`, `비밀번호: …`, `"api_key": "abc…"`, `{\"client_secret\":\"…\"}`. Only the value
 * is masked; values shorter than 6 characters are left (`password: none`). The scan goes from each `:`
 * or `=` back to the name before it, which is much cheaper than a case-insensitive alternation run
 * over every position of the text.
 */
export const NAMES = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'secret',
  'clientsecret',
  'apikey',
  'accesstoken',
  'authtoken',
  'refreshtoken',
  'privatekey',
  '비밀번호',
  '패스워드',
  // Header lines written into text (a logged request, a curl command in a prompt).
  'xapikey',
  'xgoogapikey',
  'ocpapimsubscriptionkey',
  'xfunctionskey',
  'xauthtoken',
  'privatetoken',
  'xamzsecuritytoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
]);
/** `Authorization: Basic dXNlcjpwYXNz`: the scheme word stays, the credential after it is masked. */
const AUTHORIZATION = new Set(['authorization', 'proxyauthorization']);
/** `Cookie: a=1; session=…`: every pair is masked, up to the end of the line. */
const COOKIE = new Set(['cookie', 'setcookie']);
/** Last characters of the names: most `:` and `=` in text are rejected on this one character. */
const NAME_ENDINGS = new Set([...NAMES].map((name) => name.charCodeAt(name.length - 1)));
/**
 * Last two characters of the names (`rd`, `ey`, `en`, …), as a number: `role`, `type`, `content` and
 * the other keys of a message attribute's JSON end in one of the last characters above, and were each
 * sliced, lower-cased and stripped of `-` and `_` before the lookup failed (a tenth of this detector's
 * time on the bench/export span mix, measured).
 */
const lastTwo = (before: number, last: number): number => before * 65536 + last;
const NAME_LAST_TWO = new Set([...NAMES].map((name) => lastTwo(name.charCodeAt(name.length - 2), name.charCodeAt(name.length - 1))));
const MAX_NAME = 32;
const MIN_VALUE = 6;

function isNameCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || (c >= 0xac00 && c <= 0xd7a3);
}

/** Start of the value after the assignment at `at`, past blanks and an optional (escaped) quote. */
function valueStart(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) === 92) i++;
  if (isQuoteCode(text.charCodeAt(i))) i++;
  return i;
}

function isValueCode(c: number): boolean {
  // [^\s"',;\\]
  return !(c <= 32 || c === 34 || c === 39 || c === 44 || c === 59 || c === 92 || c === 0x85 || c === 0xa0 || c === 0x2028 || c === 0x2029);
}

function endsLine(c: number): boolean {
  return c === 10 || c === 13 || c === 34 || c === 39 || c === 92;
}

/** Past `Basic `, `Digest `, `Token ` …: a word of letters and one blank before the credential. */
function afterScheme(text: string, start: number): number {
  let i = start;
  while (i < text.length && i - start < 16 && (text.charCodeAt(i) | 32) >= 97 && (text.charCodeAt(i) | 32) <= 122) i++;
  return i > start && i < text.length && isBlankCode(text.charCodeAt(i)) ? i + 1 : start;
}

/** The name before the assignment at `at`, normalised (`API_Key` → `apikey`), or undefined. */
function nameBefore(text: string, at: number): string | undefined {
  let end = at;
  while (end > 0 && isBlankCode(text.charCodeAt(end - 1))) end--;
  if (end > 0 && isQuoteCode(text.charCodeAt(end - 1))) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 92) end--;
  if (end === 0) return undefined;
  const last = text.charCodeAt(end - 1);
  // Upper-case ASCII to lower case: `PASSWORD:` ends in `D`.
  if (!NAME_ENDINGS.has(last >= 65 && last <= 90 ? last + 32 : last)) return undefined;
  let start = end;
  while (start > 0 && end - start <= MAX_NAME && isNameCode(text.charCodeAt(start - 1))) start--;
  // `\nPassword: …` in a JSON string: the `n` belongs to the escape, not to the name.
  if (startsInsideJsonEscape(text, start)) start++;
  if (start === end || end - start > MAX_NAME) return undefined;
  // The two last characters the name keeps once `-` and `_` are dropped, upper-case ASCII lowered.
  let before = end - 2;
  while (before >= start && (text.charCodeAt(before) === 45 || text.charCodeAt(before) === 95)) before--;
  if (before < start) return undefined;
  const previous = text.charCodeAt(before);
  if (!NAME_LAST_TWO.has(lastTwo(previous >= 65 && previous <= 90 ? previous + 32 : previous, last >= 65 && last <= 90 ? last + 32 : last))) return undefined;
  return text.slice(start, end).toLowerCase().replace(/[-_]/g, '');
}

export const secretAssignmentDetector: Detector = {
  type: 'SECRET',
  priority: 80,
  mayContain: (profile) => profile.text.includes(':') || profile.text.includes('='),
  find(text, report) {
    let colon = text.indexOf(':');
    let equals = text.indexOf('=');
    let resume = 0;
    while (colon !== -1 || equals !== -1) {
      const at = colon === -1 ? equals : equals === -1 ? colon : Math.min(colon, equals);
      if (at === colon) colon = text.indexOf(':', at + 1);
      else equals = text.indexOf('=', at + 1);
      if (at < resume) continue;
      const name = nameBefore(text, at);
      if (name === undefined || !NAMES.has(name)) continue;
      let start = valueStart(text, at);
      if (AUTHORIZATION.has(name)) start = afterScheme(text, start);
      let end = start;
      if (COOKIE.has(name)) while (end < text.length && !endsLine(text.charCodeAt(end))) end++;
      else while (end < text.length && isValueCode(text.charCodeAt(end))) end++;
      if (end - start < MIN_VALUE) continue;
      report(start, end);
      resume = end;
    }
  },
};
