import { describe, expect, it } from 'vitest';
import { createMasker } from '../src/index';

// The SDK cuts attribute values at OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT before any processor sees them,
// so masking runs on the cut value. A secret cut mid-way no longer matches its detector; what is left
// of it must still be masked. Found by cutting each planted secret at every offset (test/adversarial):
// these kept up to the whole limit's worth of the secret in the clear.

const LIMIT = 30;
const masker = createMasker({ valueLengthLimits: [LIMIT] });
// Assembled at run time so no secret-shaped literal is committed.
const SECRETS: Record<string, { text: string; secret: string }> = {
  'URL userinfo password': { text: 'db postgres://app:Sup3rS3cretPassw0rdXYZ@db.internal:5432/x', secret: 'Sup3rS3cretPassw0rdXYZ' },
  'bearer token': { text: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789ABCD', secret: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD' },
  'Stripe secret key': { text: `key ${['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dcXYZW'].join('_')}`, secret: '4eC39HqLyjWDarjtT1zdp7dcXYZW' },
  'GitLab token': { text: `tok ${'glpat-'}xYzAbCdEfGhIjKlMnOpQ`, secret: 'xYzAbCdEfGhIjKlMnOpQ' },
  'Hugging Face token': { text: `tok ${'hf_'}AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh`, secret: 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh' },
  'Slack token': { text: `tok ${['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-')}`, secret: 'AbCdEfGhIjKlMnOpQrStUvWx' },
};

/** Longest piece of `secret` (at least 4 characters) found in `text`. */
function leakedPiece(text: string, secret: string): string | undefined {
  for (let length = secret.length; length >= 4; length--) {
    for (let start = 0; start + length <= secret.length; start++) {
      const piece = secret.slice(start, start + length);
      if (text.includes(piece)) return piece;
    }
  }
  return undefined;
}

describe('a secret cut at the attribute length limit', () => {
  for (const [kind, { text, secret }] of Object.entries(SECRETS)) {
    it(`${kind}: no 4 characters of it survive, wherever the cut falls`, () => {
      const leaks: string[] = [];
      for (let pad = 0; pad < 16; pad++) {
        const cut = `${'x'.repeat(pad)} ${text}`.slice(0, LIMIT);
        const masked = masker.maskString(cut);
        const piece = leakedPiece(masked, secret);
        if (piece) leaks.push(`${JSON.stringify(cut)} -> ${JSON.stringify(masked)}`);
      }
      expect(leaks).toEqual([]);
    });
  }

  it('leaves a cut host:port and a cut plain URL alone', () => {
    // (a cut number at the end is masked as before: it may be half a card number)
    expect(masker.maskString('xxxxxxxx see http://localhost:43')).toBe('xxxxxxxx see http://localhost:<TRUNCATED_NUMBER>');
    expect(masker.maskString('xxxx https://docs.example.org/gu')).toBe('xxxx https://docs.example.org/gu');
    expect(masker.maskString('xxxxxxxxxxxxxxxxx the bearer is')).toBe('xxxxxxxxxxxxxxxxx the bearer is');
  });
});
