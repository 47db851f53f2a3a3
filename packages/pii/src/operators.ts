import { diag } from '@opentelemetry/api';
import { hmacHex } from './identifiers/pseudonymiser';

/** What replaces a finding. */
export type Operator =
  /** `<TYPE>` (the default). */
  | { kind: 'replace' }
  /** The empty string. */
  | { kind: 'redact' }
  /** Every letter and digit but the last `keep` (default 4) becomes `char` (default `*`); separators stay. */
  | { kind: 'mask'; keep?: number; char?: string }
  /**
   * `<TYPE:keyId:hex>`: HMAC-SHA256 of the normalised value under `key`, first `hexLength` (16–64,
   * default 16) hex digits. The same value always gives the same token, so one customer can be
   * followed across spans without being identified; `keyId` names the key so it can be rotated.
   */
  | { kind: 'pseudonym'; key: string | Uint8Array; keyId: string; hexLength?: number };

export type ApplyOperator = (type: string, value: string) => string;

const DIGIT_TYPES = new Set(['CREDIT_CARD', 'US_SSN', 'KR_RRN', 'PHONE']);

/** The same person written differently (`Alice@X.com`, `4111-1111…`) maps to the same pseudonym. */
function normalise(type: string, value: string): string {
  if (type === 'EMAIL') return value.toLowerCase();
  if (DIGIT_TYPES.has(type)) return value.replace(/[^0-9+]/g, '');
  if (type === 'IBAN') return value.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return value;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

function maskKeepingLast(value: string, keep: number, char: string): string {
  let kept = 0;
  const out: string[] = new Array<string>(value.length);
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (!isAlnum(c)) out[i] = value[i]!;
    else if (kept < keep) {
      out[i] = value[i]!;
      kept++;
    } else out[i] = char;
  }
  return out.join('');
}

const replace: ApplyOperator = (type) => `<${type}>`;

/**
 * Compiles an operator. A malformed one (empty key, bad key id, hex length out of range) is reported
 * through `diag` and replaced by `replace`, so a configuration mistake never exports raw values and
 * never throws into the application.
 */
export function compileOperator(operator: Operator | undefined): ApplyOperator {
  if (!operator || operator.kind === 'replace') return replace;
  if (operator.kind === 'redact') return () => '';
  if (operator.kind === 'mask') {
    const keep = Math.max(0, Math.floor(operator.keep ?? 4));
    const char = operator.char ?? '*';
    // Short values would be fully revealed by "keep last 4"; they are masked whole.
    return (_type, value) => (value.length <= keep * 2 ? char.repeat(value.length) : maskKeepingLast(value, keep, char));
  }
  if (operator.kind === 'pseudonym') {
    const hexLength = operator.hexLength ?? 16;
    const keyOk = typeof operator.key === 'string' ? operator.key.length > 0 : operator.key.byteLength > 0;
    if (!keyOk || !/^[A-Za-z0-9_.-]{1,32}$/.test(operator.keyId) || !(hexLength >= 16 && hexLength <= 64)) {
      diag.error('@llm-otel/pii: pseudonym operator needs a non-empty key, a keyId of [A-Za-z0-9_.-]{1,32} and hexLength 16–64; using <TYPE> replacement');
      return replace;
    }
    const { key, keyId } = operator;
    return (type, value) => {
      const hex = hmacHex(key, type, normalise(type, value), hexLength);
      return `<${type}:${keyId}:${hex}>`;
    };
  }
  diag.error('@llm-otel/pii: unknown operator kind; using <TYPE> replacement');
  return replace;
}
