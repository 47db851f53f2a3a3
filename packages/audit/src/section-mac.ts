import { createHmac, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';

/*
 * HMAC-SHA256 over the canonical text, written once into a reused buffer, and each section's CRC-32
 * read from that buffer. Measured on a typical LLM span (bench/audit): the CRC-32 of each section given
 * as a string encoded it to UTF-8 a second time, the digests text built with `toString(16).padStart`
 * and concatenation cost ~1 µs more, and the text joined into one string for the HMAC was one more
 * copy. The HMAC stays Node's `createHmac` over the key's KeyObject, so the key stays out of the
 * JavaScript heap: one computed from padded keys kept here (two one-shot SHA-256) was only 0.5 µs
 * faster per span, not worth a key-derived secret in every heap snapshot. Pinned to `createHmac` over
 * the joined text and to `crc32(string)` by test (test/section-mac.test.ts).
 */

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
  // A UTF-16 unit is at most 3 UTF-8 bytes; each line adds its '\n'; the digests text goes last.
  let capacity = 3 * firstLine.length + 1 + 9 * sections.length;
  for (let index = 0; index < sections.length; index += 1) capacity += 3 * sections[index].length + 1;
  const buffer = scratchFor(capacity);
  let position = buffer.write(firstLine, 0, 'utf8');
  buffer[position++] = 0x0a;
  const digestsStart = capacity - 9 * sections.length;
  for (let index = 0; index < sections.length; index += 1) {
    const start = position;
    position += buffer.write(sections[index], position, 'utf8');
    writeHex32(buffer, digestsStart + 9 * index, checksumOf(buffer, start, position, sections[index], index >= repeatingFrom));
    buffer[digestsStart + 9 * index + 8] = 0x2e; // '.'
    buffer[position++] = 0x0a;
  }
  const bytes = createHmac('sha256', key).update(buffer.subarray(0, position)).digest();
  const digests = sections.length === 0 ? '' : buffer.toString('latin1', digestsStart, digestsStart + 9 * sections.length - 1);
  return { bytes, digests };
}
