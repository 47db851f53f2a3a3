import { createSecretKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** HMAC-SHA256 keys shorter than the hash's output weaken it (RFC 2104 §3); 32 bytes is the floor. */
export const MIN_KEY_BYTES = 32;
export const DEFAULT_KEY_ID = 'default';
export const ENV_AUDIT_KEY = 'LLM_OTEL_AUDIT_KEY';
export const ENV_AUDIT_KEY_ID = 'LLM_OTEL_AUDIT_KEY_ID';
export const ENV_AUDIT_KEY_FILE = 'LLM_OTEL_AUDIT_KEY_FILE';

/** A key id goes into every record: printable, short, no separators a report could be confused by. */
const KEY_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export interface ChainKey {
  keyId: string;
  key: KeyObject;
}

/** A string key is its UTF-8 bytes (e.g. the output of `openssl rand -base64 48`); bytes are used as they are. */
function keyBytes(key: string | Uint8Array): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key);
}

/** Why a key cannot be used, or undefined. Never echoes the key. */
export function keyProblem(key: string | Uint8Array | undefined, keyId: string): string | undefined {
  if (key === undefined || (typeof key !== 'string' && !(key instanceof Uint8Array))) return 'no key given';
  const length = keyBytes(key).length;
  if (length < MIN_KEY_BYTES) return `the key is ${length} bytes; at least ${MIN_KEY_BYTES} are needed`;
  if (!KEY_ID_PATTERN.test(keyId)) return 'the key id must be 1-64 characters of A-Z a-z 0-9 . _ : -';
  return undefined;
}

/** For options in code: a bad key is a programming error and throws (the message never holds the key). */
export function chainKey(key: string | Uint8Array, keyId: string = DEFAULT_KEY_ID): ChainKey {
  const problem = keyProblem(key, keyId);
  if (problem) throw new TypeError(`llm-otel audit: ${problem}`);
  return { keyId, key: createSecretKey(keyBytes(key)) };
}

export type LoadedKey = { ok: true; key: ChainKey; source: string } | { ok: false; reason: string; source: string };

/** The contents of a key file, without one trailing line break (editors add one). */
export function readKeyFile(path: string): Buffer {
  const bytes = readFileSync(path);
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0x0a) end -= 1;
  if (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
  return bytes.subarray(0, end);
}

/**
 * The chain key from the environment (`LLM_OTEL_AUDIT_KEY` or `LLM_OTEL_AUDIT_KEY_FILE`, with
 * `LLM_OTEL_AUDIT_KEY_ID`), or undefined when none is set. Never throws: a bad value is reported so that
 * set-up can start the application with the chain visibly off, as for every malformed variable.
 */
export function loadKeyFromEnv(env: NodeJS.ProcessEnv = process.env): LoadedKey | undefined {
  const keyId = env[ENV_AUDIT_KEY_ID]?.trim() || DEFAULT_KEY_ID;
  const inline = env[ENV_AUDIT_KEY];
  const file = env[ENV_AUDIT_KEY_FILE]?.trim();
  if (inline !== undefined && inline !== '') return checked(inline, keyId, ENV_AUDIT_KEY);
  if (file) return loadKeyFile(file, keyId, ENV_AUDIT_KEY_FILE);
  return undefined;
}

/** A key file, never throwing (a missing or unreadable file is a reason, not an exception). */
export function loadKeyFile(path: string, keyId: string = DEFAULT_KEY_ID, source = path): LoadedKey {
  let bytes: Buffer;
  try {
    bytes = readKeyFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, reason: `the key file cannot be read (${code})`, source };
  }
  return checked(bytes, keyId, source);
}

function checked(key: string | Uint8Array, keyId: string, source: string): LoadedKey {
  const reason = keyProblem(key, keyId);
  if (reason) return { ok: false, reason, source };
  return { ok: true, key: { keyId, key: createSecretKey(keyBytes(key)) }, source };
}
