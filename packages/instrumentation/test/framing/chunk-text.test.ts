import { describe, expect, it } from 'vitest';
import { ChunkText } from '../../src/framing/chunk-text';
import { random } from '../support/seeded-random';

const encoder = new TextEncoder();
// ASCII, multi-byte characters, BOMs, and bytes that are not UTF-8 (lone continuation bytes, a cut
// lead byte, an overlong form, a surrogate's encoding).
const PIECES: Uint8Array[] = [
  ...['data: {"a":1}\n\n', 'x', '\r\n', 'é', '€', '😀', '\ufeff'].map((text) => encoder.encode(text)),
  Uint8Array.of(0xef, 0xbb, 0xbf),
  Uint8Array.of(0x80),
  Uint8Array.of(0xc3),
  Uint8Array.of(0xf0, 0x9f),
  Uint8Array.of(0xc0, 0xaf),
  Uint8Array.of(0xed, 0xa0, 0x80),
  Uint8Array.of(0xff),
];

function randomBody(next: () => number): Uint8Array {
  const parts: Uint8Array[] = [];
  // Mostly ASCII at first, as SSE bodies are, so that the fast path is taken before the switch.
  for (let i = Math.floor(next() * 12); i > 0; i--) parts.push(next() < 0.6 ? PIECES[0] : PIECES[Math.floor(next() * PIECES.length)]);
  return Buffer.concat(parts);
}

function split(body: Uint8Array, next: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    const size = Math.floor(next() * 8);
    chunks.push(body.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('ChunkText: chunks as text, as one streaming TextDecoder decodes them', () => {
  it('property: the same text as TextDecoder over 3,000 random bodies split at random points', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const chunks = split(randomBody(next), next);
      const reference = new TextDecoder();
      const chunkText = new ChunkText();
      let expected = '';
      let actual = '';
      for (const chunk of chunks) {
        expected += reference.decode(chunk, { stream: true });
        actual += chunkText.decode(chunk);
      }
      expected += reference.decode();
      actual += chunkText.end();
      expect(actual, `seed ${seed}`).toBe(expected);
    }
  });

  it('a BOM is dropped at the start of the body only', () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    const first = new ChunkText();
    expect(first.decode(Buffer.concat([bom, encoder.encode('data: 1')]))).toBe('data: 1');
    const later = new ChunkText();
    expect(later.decode(encoder.encode('data: 1'))).toBe('data: 1');
    expect(later.decode(bom)).toBe('\ufeff');
  });

  it('a multi-byte character split across chunks after ASCII ones', () => {
    const text = new ChunkText();
    const euro = encoder.encode('€');
    expect(text.decode(encoder.encode('ab'))).toBe('ab');
    expect(text.decode(euro.subarray(0, 1))).toBe('');
    expect(text.decode(euro.subarray(1))).toBe('€');
    expect(text.decode(Uint8Array.of(0xe2))).toBe('');
    expect(text.end()).toBe('\ufffd');
  });
});
