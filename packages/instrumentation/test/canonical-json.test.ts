import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/fingerprint/canonical-json';

/** A small seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = ['a', 'Z', '0', '9', ' ', '"', '\\', '\n', '\u0000', '\u001f', 'é', '€', '\u2028', '😀', '\ud800', 'ﬀ', '10', '2'];

function randomString(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 6);
  for (let i = 0; i < length; i++) text += CHARS[Math.floor(next() * CHARS.length)];
  return text;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.35) {
    const kind = Math.floor(next() * 6);
    if (kind === 0) return null;
    if (kind === 1) return next() < 0.5;
    if (kind === 2) return Math.floor((next() - 0.5) * 1e6);
    if (kind === 3) return (next() - 0.5) * 10 ** Math.floor((next() - 0.5) * 60);
    return randomString(next);
  }
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) object[randomString(next)] = randomValue(next, depth + 1);
  return object;
}

/** The same value with every object's members in another order. */
function shuffled(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffled(item, next));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(() => next() - 0.5);
  const out: Record<string, unknown> = {};
  for (const [key, member] of entries) out[key] = shuffled(member, next);
  return out;
}

describe('canonicalJson (RFC 8785 JCS)', () => {
  it('the RFC 8785 §3.2.2 / Appendix B number forms and §3.2.3 member order', () => {
    // biome-ignore lint/correctness/noPrecisionLoss: the literals are the point: RFC 8785 serialises the double they become.
    expect(canonicalJson([1e21, 1e-7, 0.000001, -0, 333333333.33333329, 1e30, 4.5, 2e-3, 9007199254740993])).toBe(
      '[1e+21,1e-7,0.000001,0,333333333.3333333,1e+30,4.5,0.002,9007199254740992]',
    );
    // RFC 8785 §3.2.3's example: sorted by UTF-16 code units, not by code points or as integers.
    const text = canonicalJson({
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
      '10': 'Ten',
      '9': 'Nine',
    });
    expect(text.match(/"([^"]*)":/g)!.map((member) => member.slice(1, -2))).toEqual([
      '\\r',
      '1',
      '10',
      '9',
      '\u0080',
      '\u00f6',
      '\u20ac',
      '\ud83d\ude00',
      '\ufb33',
    ]);
    expect(canonicalJson({ b: [1, { d: true, c: null }], a: 'x\u2028"\n' })).toBe('{"a":"x\u2028\\"\\n","b":[1,{"c":null,"d":true}]}');
  });

  it('property: independent of member order and whitespace, a fixed point, and JSON that parses back to the value', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const value = randomValue(next, 0);
      const canonical = canonicalJson(value);
      const reordered = JSON.parse(JSON.stringify(shuffled(value, next), null, Math.floor(next() * 4)));
      expect(canonicalJson(reordered), `seed ${seed}`).toBe(canonical);
      expect(canonicalJson(JSON.parse(canonical)), `seed ${seed}`).toBe(canonical);
      expect(JSON.parse(canonical), `seed ${seed}`).toEqual(JSON.parse(JSON.stringify(value)));
      expect(canonical, `seed ${seed}`).not.toMatch(/[\n\t]|": | ,/);
    }
  });

  it('property: any change to a value changes the encoding', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const value = { messages: [randomValue(next, 1), randomValue(next, 1)], temperature: next() };
      const changed = JSON.parse(JSON.stringify(value));
      changed.messages[Math.floor(next() * 2)] = [changed.messages[0], 'x'];
      expect(canonicalJson(changed), `seed ${seed}`).not.toBe(canonicalJson(value));
      expect(canonicalJson({ ...value, temperature: value.temperature + 1e-9 })).not.toBe(canonicalJson(value));
    }
  });

  it('members are in code-unit order at every depth', () => {
    const text = canonicalJson({ z: 1, '10': 2, '9': 3, A: { y: 1, b: 2 } });
    expect(text).toBe('{"10":2,"9":3,"A":{"b":2,"y":1},"z":1}');
  });
});
