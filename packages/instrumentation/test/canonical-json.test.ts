import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonByParts, NOT_STRINGIFIABLE, sortedForStringify } from '../src/fingerprint/canonical-json';
import { random } from './support/seeded-random';

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

// The fast path (JSON.stringify of a member-sorted view) against the reference writer, member by
// member (issue 11): byte-identical on any JSON, and the view neither copies what is in order nor
// changes the caller's value.
describe('canonicalJson through JSON.stringify of a sorted view', () => {
  const NAMES = ['a', 'b', 'Z', 'content', 'role', 'é', '€', '😀', '\ufb33', '\u0080', '"', '\\', ' x', 'a b', 'toJSON', 'constructor', ''];

  function randomJson(next: () => number, depth: number, names: readonly string[]): unknown {
    const pick = next();
    if (depth > 4 || pick < 0.35) {
      const kind = Math.floor(next() * 7);
      if (kind === 0) return null;
      if (kind === 1) return next() < 0.5;
      if (kind === 2) return Math.floor((next() - 0.5) * 1e6);
      if (kind === 3) return (next() - 0.5) * 10 ** Math.floor((next() - 0.5) * 60);
      if (kind === 4) return names[Math.floor(next() * names.length)];
      return randomString(next);
    }
    if (pick < 0.55) return Array.from({ length: Math.floor(next() * 5) }, () => randomJson(next, depth + 1, names));
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 6); i > 0; i--) object[names[Math.floor(next() * names.length)]] = randomJson(next, depth + 1, names);
    // Through JSON text, as the hooks parse request bodies (and so `__proto__` can be an own member).
    return JSON.parse(JSON.stringify(object));
  }

  it('property: the same text as the reference writer on 2,000 random JSON values, taking the fast path', () => {
    let fast = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const next = random(seed);
      const value = JSON.parse(JSON.stringify(randomJson(next, 0, NAMES)));
      const before = JSON.stringify(value);
      const view = sortedForStringify(value);
      if (view !== NOT_STRINGIFIABLE) {
        fast++;
        expect(JSON.stringify(view), `seed ${seed}`).toBe(canonicalJsonByParts(value));
      }
      expect(canonicalJson(value), `seed ${seed}`).toBe(canonicalJsonByParts(value));
      expect(JSON.stringify(value), `seed ${seed}: the value is unchanged`).toBe(before);
    }
    // None of these names can make the view unusable: every value takes the fast path.
    expect(fast).toBe(2000);
  });

  it('property: names the view cannot keep in order (array indices, __proto__) fall back to the reference writer', () => {
    const names = [...NAMES, '0', '1', '10', '2', '9x', '__proto__'];
    let fellBack = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const value = randomJson(random(seed), 0, names);
      if (sortedForStringify(value) === NOT_STRINGIFIABLE) fellBack++;
      expect(canonicalJson(value), `seed ${seed}`).toBe(canonicalJsonByParts(value));
    }
    expect(fellBack).toBeGreaterThan(100);
  });

  it('members named like indices or __proto__, out of order, are still sorted by code units', () => {
    const value = JSON.parse('{"b":1,"10":2,"__proto__":{"y":1,"x":2},"9":3,"$":4}');
    expect(canonicalJson(value)).toBe('{"$":4,"10":2,"9":3,"__proto__":{"x":2,"y":1},"b":1}');
  });

  it('what is already in order is not copied', () => {
    const inner = { a: 1, b: [{ c: 'x', d: null }] };
    const value = { a: inner, z: [inner] };
    expect(sortedForStringify(value)).toBe(value);
    const unsorted = { b: 1, a: 2 };
    const outer = { a: inner, m: unsorted };
    const view = sortedForStringify(outer) as Record<string, unknown>;
    expect(view).not.toBe(outer);
    expect(view.a).toBe(inner);
    expect(Object.keys(view.m as object)).toEqual(['a', 'b']);
    expect(Object.keys(unsorted)).toEqual(['b', 'a']);
  });

  it('hand-built values that are not JSON are written as the reference writer writes them', () => {
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
    }
    const values: unknown[] = [
      { b: new Date(0), a: 1 },
      { a: new Point(1, 2) },
      [new String('ab'), 1n, () => 1, Symbol('s'), undefined, Number.NaN, -Infinity],
      { toJSON: () => 'replaced', a: 1 },
      { b: undefined, a: () => 1, c: Symbol('s'), d: 2 },
      Object.assign(Object.create(null), { b: 1, a: 2 }),
      // Holes, as a sparse array has them.
      new Array(3),
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(canonicalJsonByParts(value));
  });

  it('a toJSON put on Object.prototype does not change the text', () => {
    const expected = canonicalJson({ b: { d: 1, c: 2 }, a: [1] });
    (Object.prototype as { toJSON?: unknown }).toJSON = () => 'polluted';
    try {
      expect(canonicalJson({ b: { d: 1, c: 2 }, a: [1] })).toBe(expected);
    } finally {
      delete (Object.prototype as { toJSON?: unknown }).toJSON;
    }
  });

  it('a value nested deeper than the stack allows throws (the fingerprint says failed)', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    expect(() => canonicalJson(deep)).toThrow(RangeError);
  });
});
