import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 keys shorter than the hash's output weaken it (RFC 2104 §3): the same floor as the
 * integrity chain's key (`@llm-otel/audit` keys.ts), and for the same reason.
 */
export const MIN_PSEUDONYM_KEY_BYTES = 32;
export const DEFAULT_PSEUDONYM_KEY_ID = 'default';
/** The type `createPseudonymiser` names when none is given: user ids. */
export const USER_TYPE = 'USER';

/** The pseudonym operator's own key-id rule (operators.ts). */
const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;

/** A key that turns user and session ids into pseudonyms; its own, never the integrity chain's key. */
export interface PseudonymKey {
  /** At least 32 bytes; a string is its UTF-8 bytes (e.g. the output of `openssl rand -base64 48`). */
  key: string | Uint8Array;
  /** Written into every pseudonym (`<USER:keyId:hex>`), so a rotation is visible; default 'default'. */
  keyId?: string;
}

export interface PseudonymiserOptions {
  /** Default 'default'. */
  keyId?: string;
  /** The type named in the pseudonym; default 'USER'. */
  type?: string;
  /** Hex digits kept, 16–64; default 16 (64 bits: no collision in practice below ~10⁸ users). */
  hexLength?: number;
}

export function pseudonymKeyBytes(key: string | Uint8Array): Buffer {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

/** Why a pseudonym key cannot be used, or undefined. Never echoes the key. */
export function pseudonymKeyProblem(key: unknown, keyId: string = DEFAULT_PSEUDONYM_KEY_ID): string | undefined {
  if (typeof key !== 'string' && !(key instanceof Uint8Array)) return 'no key given';
  const length = pseudonymKeyBytes(key).length;
  if (length < MIN_PSEUDONYM_KEY_BYTES) return `the pseudonym key is ${length} bytes; at least ${MIN_PSEUDONYM_KEY_BYTES} are needed`;
  if (!KEY_ID_PATTERN.test(keyId)) return 'the pseudonym key id must be 1-32 characters of A-Z a-z 0-9 . _ -';
  return undefined;
}

/**
 * `value` → `<USER:keyId:hex>`: exactly what the masker's `{ kind: 'pseudonym' }` operator writes for a
 * finding of that type (operators.ts; the test holds the two equal), so a budget keyed by user or a
 * report can be joined with the spans. The same key gives the same pseudonym in every process; a new
 * key starts new ones; destroying the key makes the pseudonyms unlinkable to anyone (GDPR erasure).
 * A bad key is a programming error and throws; the message never holds the key.
 */
export function createPseudonymiser(key: string | Uint8Array, options: PseudonymiserOptions = {}): (value: string) => string {
  const keyId = options.keyId ?? DEFAULT_PSEUDONYM_KEY_ID;
  const problem = pseudonymKeyProblem(key, keyId);
  if (problem) throw new TypeError(`llm-otel pseudonyms: ${problem}`);
  const hexLength = options.hexLength ?? 16;
  if (!(Number.isInteger(hexLength) && hexLength >= 16 && hexLength <= 64)) throw new RangeError('llm-otel pseudonyms: hexLength must be an integer 16–64');
  const type = options.type ?? USER_TYPE;
  const bytes = pseudonymKeyBytes(key);
  return (value) => `<${type}:${keyId}:${hmacHex(bytes, type, value, hexLength)}>`;
}

/** The operator's input encoding: the type, a NUL, the value (user and session ids are not normalised). */
export function hmacHex(key: string | Uint8Array, type: string, value: string, hexLength: number): string {
  return createHmac('sha256', key).update(`${type}\u0000${value}`).digest('hex').slice(0, hexLength);
}
