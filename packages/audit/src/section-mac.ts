import { hash, KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';

/*
 * HMAC-SHA256 over the canonical text, written straight into one reused buffer, and each section's
 * CRC-32 read from that buffer. RFC 2104: HMAC(K, m) = H((K' ⊕ opad) ‖ H((K' ⊕ ipad) ‖ m)), K' the key
 * zero-padded to the 64-byte block (hashed first when longer). The padded keys are computed once per
 * key, and both hashes are one-shot `crypto.hash` calls. Measured on a typical LLM span (bench/audit):
 * a `createHmac` object per span (create, update, digest) cost ~4.5 µs of ~25 µs of signing, and the
 * CRC-32 of each section given as a string encoded it to UTF-8 a second time (~1.9 µs); the text
 * joined into one string before the HMAC read was one more copy. Pinned to `createHmac` and to
 * `crc32(string)` by test (test/section-mac.test.ts).
 */

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
const IPAD = 0x36;
const OPAD = 0x5c;

interface PaddedKey {
  /** K' ⊕ ipad: the first block of the inner hash. */
  inner: Buffer;
  /** K' ⊕ opad, then room for the inner digest: the whole input of the outer hash. */
  outer: Buffer;
}

const paddedKeys = new WeakMap<object, PaddedKey>();

function paddedKey(key: KeyObject | Buffer): PaddedKey {
  let padded = paddedKeys.get(key);
  if (padded) return padded;
  let bytes = key instanceof KeyObject ? key.export() : key;
  if (bytes.length > BLOCK_BYTES) bytes = hash('sha256', bytes, 'buffer');
  const inner = Buffer.alloc(BLOCK_BYTES, IPAD);
  const outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);
  outer.fill(OPAD, 0, BLOCK_BYTES);
  for (let index = 0; index < bytes.length; index += 1) {
    inner[index] ^= bytes[index];
    outer[index] ^= bytes[index];
  }
  padded = { inner, outer };
  paddedKeys.set(key, padded);
  return padded;
}

/**
 * CRC-32s of the sections that repeat from span to span (links, resource, scope: the same text for
 * most spans of a process), by text; bounded, emptied when full. Looking a text up hashes it, which V8
 * does once per string object, so only these sections are looked up, never the ones new in every span.
 */
const knownChecksums = new Map<string, number>();
const MAX_KNOWN_CHECKSUMS = 64;

function checksumOf(buffer: Buffer, start: number, end: number, text: string, repeats: boolean): number {
  if (!repeats) return crc32(buffer.subarray(start, end));
  let checksum = knownChecksums.get(text);
  if (checksum === undefined) {
    checksum = crc32(buffer.subarray(start, end));
    if (knownChecksums.size >= MAX_KNOWN_CHECKSUMS) knownChecksums.clear();
    knownChecksums.set(text, checksum);
  }
  return checksum;
}

/** Kept between calls up to this size; a larger record gets a buffer of its own (memory stays bounded). */
const KEPT_SCRATCH_BYTES = 1 << 20;
let scratch = Buffer.allocUnsafe(64 * 1024);

function scratchFor(bytes: number): Buffer {
  if (bytes <= scratch.length) return scratch;
  const buffer = Buffer.allocUnsafe(bytes);
  if (bytes <= KEPT_SCRATCH_BYTES) scratch = buffer;
  return buffer;
}

export interface SectionMacResult {
  /** The MAC's 32 bytes. */
  bytes: Buffer;
  /** Each section's CRC-32 as 8 lowercase hex digits, joined with '.', in the order given. */
  digests: string;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

/** Writes `value` (an unsigned 32-bit integer) as 8 hex digits at `position`. */
function writeHex32(buffer: Buffer, position: number, value: number): void {
  for (let shift = 28, index = position; shift >= 0; shift -= 4, index += 1) buffer[index] = HEX_DIGITS[(value >>> shift) & 0xf];
}

/**
 * HMAC-SHA256(key, `${firstLine}\n` + each section followed by '\n'), the sections' text as UTF-8 (lone
 * surrogates as U+FFFD, as `createHmac().update(text, 'utf8')` writes them), and each section's CRC-32;
 * the sections from `repeatingFrom` on usually repeat, and their checksums are remembered.
 * The digests text is written into the buffer's tail and read once: six `toString(16).padStart` and
 * their concatenation cost ~1 µs per span (bench/audit).
 */
export function sectionMac(key: KeyObject | Buffer, firstLine: string, sections: readonly string[], repeatingFrom = sections.length): SectionMacResult {
  const { inner, outer } = paddedKey(key);
  // A UTF-16 unit is at most 3 UTF-8 bytes; each line adds its '\n'.
  let capacity = BLOCK_BYTES + 3 * firstLine.length + 1 + 9 * sections.length;
  for (let index = 0; index < sections.length; index += 1) capacity += 3 * sections[index].length + 1;
  const buffer = scratchFor(capacity);
  inner.copy(buffer, 0);
  let position = BLOCK_BYTES;
  position += buffer.write(firstLine, position, 'utf8');
  buffer[position++] = 0x0a;
  // The digests text goes after the longest the canonical text can be.
  const digestsStart = capacity - 9 * sections.length;
  for (let index = 0; index < sections.length; index += 1) {
    const start = position;
    position += buffer.write(sections[index], position, 'utf8');
    writeHex32(buffer, digestsStart + 9 * index, checksumOf(buffer, start, position, sections[index], index >= repeatingFrom));
    buffer[digestsStart + 9 * index + 8] = 0x2e; // '.'
    buffer[position++] = 0x0a;
  }
  // `outer` is shared by every call with this key: filled and hashed without anything in between.
  hash('sha256', buffer.subarray(0, position), 'buffer').copy(outer, BLOCK_BYTES);
  const digests = sections.length === 0 ? '' : buffer.toString('latin1', digestsStart, digestsStart + 9 * sections.length - 1);
  return { bytes: hash('sha256', outer, 'buffer'), digests };
}
