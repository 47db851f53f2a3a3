import { describe, expect, it } from 'vitest';
import { createMasker } from '@llm-otel/pii';
import { normalise } from '../src/normalise';

/**
 * The normalisation step's offset map, checked on generated text: every normalised character maps
 * back to the original characters it came from, in order, and a masked finding replaces exactly the
 * escaped characters. Deterministic pseudo-random pieces, so a failure reproduces.
 */
const PIECES = [
  'a',
  'b',
  '.',
  ' ',
  '@',
  '\\u0040',
  '\\\\u0040',
  '\\u002e',
  '%40',
  '%2E',
  '%',
  '%4',
  '%ZZ',
  '\\',
  '\\\\',
  '\\/',
  '\\u00',
  '\\n',
  'é',
  '\\ud83d\\ude00',
  '%EC%A3%BC',
];

function generated(seed: number, length: number): string {
  let h = seed;
  let text = '';
  for (let i = 0; i < length; i++) {
    h = (Math.imul(h, 1103515245) + 12345) >>> 0;
    text += PIECES[h % PIECES.length];
  }
  return text;
}

describe('normalise', () => {
  it('returns undefined (no allocation) for text with nothing to decode', () => {
    expect(normalise('plain text, 50% off, C:\\\\path')).toBeUndefined();
  });

  it('maps every normalised character back to the original characters it stands for', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const text = generated(seed, 40);
      const result = normalise(text);
      if (!result) continue;
      const { text: decoded, offsets } = result;
      expect(offsets.length, text).toBe(decoded.length + 1);
      expect(offsets[0], text).toBe(0);
      expect(offsets[decoded.length], text).toBe(text.length);
      for (let i = 0; i < decoded.length; i++) {
        const piece = text.slice(offsets[i], offsets[i + 1]);
        expect(offsets[i + 1]! > offsets[i]!, text).toBe(true);
        // A piece is the character itself or an escape that decodes to it.
        if (piece.length > 1) {
          const code = decoded.charCodeAt(i);
          const hex = code.toString(16).padStart(piece.startsWith('%') ? 2 : 4, '0');
          expect(piece.toLowerCase().endsWith(hex) || (code === 47 && piece.endsWith('/')), `${text} @${i}: ${piece}`).toBe(true);
        } else {
          expect(piece, text).toBe(decoded[i]);
        }
      }
    }
  });

  it('masking replaces exactly the escaped address, whatever surrounds it', () => {
    const masker = createMasker();
    for (let seed = 1; seed <= 200; seed++) {
      const noise = generated(seed, 6).replace(/[@.]/g, '');
      const escapedAt = seed % 2 === 0 ? '\\u0040' : '%40';
      const text = `${noise} jane${escapedAt}example.com ${noise}`;
      const masked = masker.maskString(text);
      expect(masked, text).toContain(' <EMAIL> ');
      expect(masked, text).not.toContain('jane');
    }
  });
});
