import type { Detector } from '../detector';
import { isAsciiLetterCode } from './boundaries';

/**
 * Credentials carried by URLs and connection strings, found wherever the URL is (any attribute, a
 * prompt, a log line), not only when its host happens to look like an e-mail domain:
 *
 * - the password in userinfo: `https://app:PW@host/…`, `postgres://user:PW@db/…`, `redis://:PW@host`;
 *   userinfo without a password is masked only when it is token-like (`https://<20+ chars>@github.com`);
 * - credential parameters: `?token=`, `&access_token=`, `sig=` (Azure SAS), `code=` (OAuth),
 *   `X-Amz-Signature=`, `X-Goog-Credential=`, `key=`, …, after `?`, `&`, `#`, `;` or at the start of the
 *   text (a bare `url.query`), and `AccountKey=` / `SharedAccessKey=` in connection strings.
 *
 * Only the value is masked, so the URL keeps its shape. One pass over `://` and one over `=`, each
 * resuming after what it read: linear in the text.
 */
const MAX_AUTHORITY = 512;
const MIN_TOKEN_USERINFO = 20;
const MAX_PARAM_NAME = 40;
const MIN_PARAM_VALUE = 4;

/** Parameter names (lower case, without `-` and `_`) whose value is a credential. */
const CREDENTIAL_PARAMS = new Set([
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'sessiontoken',
  'securitytoken',
  'apikey',
  'key',
  'apitoken',
  'sig',
  'signature',
  'code',
  'password',
  'passwd',
  'pwd',
  'secret',
  'clientsecret',
  'clientassertion',
  'assertion',
  'jwt',
  'otp',
  'sessionid',
  'xamzsignature',
  'xamzcredential',
  'xamzsecuritytoken',
  'xgoogsignature',
  'xgoogcredential',
  'accountkey',
  'sharedaccesskey',
  'sharedaccesssignature',
  // Azure API Management takes its key as `?subscription-key=` as well as a header; Firebase's REST
  // API its ID token as `?auth=`.
  'subscriptionkey',
  'auth',
]);

function isParamNameCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46;
}

/** Where an authority (or a parameter value) ends: `/ ? #`, whitespace, quotes, brackets, backslash. */
function endsAuthority(c: number): boolean {
  return c <= 32 || c === 47 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92 || c === 96 || c === 0xa0;
}

function endsParamValue(c: number): boolean {
  return c <= 32 || c === 38 || c === 35 || c === 59 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92 || c === 96 || c === 0xa0;
}

function hasDigit(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function findUserinfo(text: string, report: (start: number, end: number) => void): void {
  let scheme = text.indexOf('://');
  while (scheme !== -1) {
    const start = scheme + 3;
    let end = start;
    let at = -1;
    let colon = -1;
    while (end < text.length && end - start < MAX_AUTHORITY && !endsAuthority(text.charCodeAt(end))) {
      const c = text.charCodeAt(end);
      if (c === 64)
        at = end; // the last `@` ends the userinfo: a raw `@` may be in the password
      else if (c === 58 && colon === -1) colon = end;
      end++;
    }
    if (at > start) {
      if (colon !== -1 && colon < at) {
        if (at > colon + 1) report(colon + 1, at);
      } else if (at - start >= MIN_TOKEN_USERINFO && hasDigit(text, start, at)) {
        report(start, at);
      }
    }
    scheme = text.indexOf('://', Math.max(end, start));
  }
}

function normalisedName(text: string, start: number, end: number): string {
  return text.slice(start, end).toLowerCase().replace(/[-_]/g, '');
}

function findParams(text: string, report: (start: number, end: number) => void): void {
  let equals = text.indexOf('=');
  let resume = 0;
  while (equals !== -1) {
    const at = equals;
    equals = text.indexOf('=', at + 1);
    if (at < resume) continue;
    let nameStart = at;
    while (nameStart > 0 && at - nameStart <= MAX_PARAM_NAME && isParamNameCode(text.charCodeAt(nameStart - 1))) nameStart--;
    if (nameStart === at || at - nameStart > MAX_PARAM_NAME) continue;
    // `--api-key=…` is a command-line flag (secret-flag.ts), not a parameter.
    if (!isAsciiLetterCode(text.charCodeAt(nameStart))) continue;
    const before = nameStart === 0 ? -1 : text.charCodeAt(nameStart - 1);
    // ? & # ; or the start of the text.
    if (!(before === -1 || before === 63 || before === 38 || before === 35 || before === 59)) continue;
    if (!CREDENTIAL_PARAMS.has(normalisedName(text, nameStart, at))) continue;
    let end = at + 1;
    while (end < text.length && !endsParamValue(text.charCodeAt(end))) end++;
    if (end - (at + 1) < MIN_PARAM_VALUE) continue;
    report(at + 1, end);
    resume = end;
  }
}

export const urlCredentialDetector: Detector = {
  type: 'URL_CREDENTIAL',
  priority: 88,
  mayContain: (profile) => profile.text.includes('://') || profile.text.includes('='),
  find(text, report) {
    if (text.includes('://')) findUserinfo(text, report);
    if (text.includes('=')) findParams(text, report);
  },
};
