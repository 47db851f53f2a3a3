import { createSecretKey, type KeyObject } from 'node:crypto';

/** HMAC-SHA256 keys shorter than the hash's output weaken it (RFC 2104 §3): the audit key's floor too. */
export const MIN_FINGERPRINT_KEY_BYTES = 32;
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** The key request fingerprints are HMACs under; its own (never the audit or pseudonym key). */
export interface FingerprintKeyOptions {
  /** At least 32 bytes; a string is its UTF-8 bytes. */
  key: string | Uint8Array;
  /** Written on every span (`llm_otel.request.fingerprint_key_id`); default 'default'. */
  keyId?: string;
}

export interface FingerprintKey {
  key: KeyObject;
  keyId: string;
}

/** Why a fingerprint key cannot be used, or undefined; never echoes the key. */
export function fingerprintKeyProblem(key: unknown, keyId = 'default'): string | undefined {
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) return 'no key given';
  const length = typeof key === 'string' ? Buffer.byteLength(key, 'utf8') : key.byteLength;
  if (length < MIN_FINGERPRINT_KEY_BYTES) return `the fingerprint key is ${length} bytes; at least ${MIN_FINGERPRINT_KEY_BYTES} are needed`;
  if (!KEY_ID_PATTERN.test(keyId)) return 'the fingerprint key id must be 1-64 characters of A-Z a-z 0-9 . _ : -';
  return undefined;
}

/** For options in code: a bad key throws (the message never holds the key). */
export function fingerprintKey(options: FingerprintKeyOptions): FingerprintKey {
  const keyId = options.keyId ?? 'default';
  const problem = fingerprintKeyProblem(options.key, keyId);
  if (problem) throw new TypeError(`llm-otel fingerprint: ${problem}`);
  const bytes = typeof options.key === 'string' ? Buffer.from(options.key, 'utf8') : Buffer.from(options.key);
  return { key: createSecretKey(bytes), keyId };
}
