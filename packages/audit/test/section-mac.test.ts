import { createHmac, createSecretKey, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sectionMac } from '../src/section-mac';

/** What sectionMac must equal: Node's HMAC over the joined text, and zlib's CRC-32 of each section as a string. */
function reference(key: Buffer, firstLine: string, sections: string[]): { mac: string; digests: string } {
  const text = `${firstLine}\n${sections.map((section) => `${section}\n`).join('')}`;
  return {
    mac: createHmac('sha256', key).update(text, 'utf8').digest('hex'),
    digests: sections.map((section) => crc32(section).toString(16).padStart(8, '0')).join('.'),
  };
}

function check(key: Buffer, sections: string[], repeatingFrom?: number): void {
  for (const given of [key, createSecretKey(key)]) {
    const result = sectionMac(given, 'llm-otel-chain/1', sections, repeatingFrom);
    expect({ mac: result.bytes.toString('hex'), digests: result.digests }).toEqual(reference(key, 'llm-otel-chain/1', sections));
  }
}

describe('sectionMac (the canonical text written once, into a reused buffer)', () => {
  it('equals createHmac for keys shorter than, equal to and longer than the 64-byte block', () => {
    for (const length of [32, 63, 64, 65, 100, 200]) check(randomBytes(length), ['["a"]', '[]', 'x'.repeat(length)]);
  });

  it('equals createHmac on non-ASCII text, lone surrogates (as U+FFFD) and empty sections', () => {
    const key = randomBytes(40);
    check(key, ['é', '🔑 ключ', 'lone \ud800 high', 'lone \udc00 low', '', '"\\u0000"']);
    check(key, []);
    check(key, ['']);
  });

  it('equals createHmac past the kept buffer (64 KiB) and past the largest kept size (1 MiB), and after it', () => {
    const key = randomBytes(48);
    check(key, ['a'.repeat(70_000), 'é'.repeat(30_000)]);
    check(key, ['€'.repeat(400_000), 'b']);
    check(key, ['small', 'again']);
  });

  it('a remembered checksum is the checksum of the text given, across many texts and repeats', () => {
    const key = randomBytes(32);
    for (let round = 0; round < 300; round += 1) check(key, ['span', 'attributes', `links ${round % 7}`, `resource ${round % 97}`], 2);
  });

  it('two keys used in turn keep their own padded keys', () => {
    const first = randomBytes(32);
    const second = randomBytes(32);
    for (let round = 0; round < 5; round += 1) {
      check(first, [`${round}`]);
      check(second, [`${round}`]);
    }
  });
});
