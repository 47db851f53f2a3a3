import { describe, expect, test } from 'vitest';
import { roundedByScaling, withoutFloatNoise } from '../../src/pricing/cost';
import { random } from '../support/seeded-random';

// withoutFloatNoise rounds by scaling instead of formatting and parsing a string (issue 11); the
// result must be the very double `Number(usd.toPrecision(12))` gives, for every input.

const byString = (usd: number) => (usd === 0 || !Number.isFinite(usd) ? usd : Number(usd.toPrecision(12)));

/** The inputs where withoutFloatNoise (or the shortcut, where it answers) differs from the string's rounding. */
function mismatches(inputs: Iterable<number>): number[] {
  const wrong: number[] = [];
  for (const usd of inputs) {
    const shortcut = roundedByScaling(usd);
    if (!Object.is(withoutFloatNoise(usd), byString(usd)) || (shortcut !== undefined && !Object.is(shortcut, byString(usd)))) wrong.push(usd);
  }
  return wrong;
}

/** What computeCost sums: token counts times prices of up to four significant digits, per token. */
function realisticCost(next: () => number): number {
  const tokens = () => Math.floor(next() ** 3 * 2_000_000);
  const price = () => Number((next() * 100).toPrecision(1 + Math.floor(next() * 4)));
  return (tokens() * price() + tokens() * price() + tokens() * price()) / 1_000_000;
}

describe('withoutFloatNoise rounding by scaling', () => {
  test('equals Number(toPrecision(12)) on 200,000 costs as computeCost makes them, and takes the shortcut for nearly all', () => {
    const next = random(11);
    const costs = Array.from({ length: 200_000 }, () => realisticCost(next));
    expect(mismatches(costs)).toEqual([]);
    expect(costs.filter((usd) => roundedByScaling(usd) !== undefined).length).toBeGreaterThan(190_000);
  });

  test('equals it on 200,000 doubles of every magnitude, and wherever the shortcut answers', () => {
    const next = random(7);
    expect(mismatches(Array.from({ length: 200_000 }, () => (1 + next() * 9) * 10 ** Math.floor(next() * 40 - 20)))).toEqual([]);
  });

  test('near ties, next to powers of ten, and the edges', () => {
    const next = random(3);
    const cases = [0, -0, 1, 0.1, 0.3, 1e-11, 1e12, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, -1.5e-5, 0.00023999999999999998];
    for (let exponent = -15; exponent <= 15; exponent++) {
      const power = Number(`1e${exponent}`);
      cases.push(power, power * (1 - Number.EPSILON), power * (1 + Number.EPSILON), power * (1 - 1e-13), power * (1 + 1e-13));
    }
    for (let i = 0; i < 20_000; i++) {
      // n + 1/2 at the twelfth digit, exactly where it is representable, and a hair either side.
      const digits = 1e11 + Math.floor(next() * 9e11);
      const scale = Number(`1e${Math.floor(next() * 20)}`);
      const tie = (digits + 0.5) / scale;
      cases.push(tie, tie * (1 + 2 * Number.EPSILON), tie * (1 - 2 * Number.EPSILON), (digits + 0.4995) / scale, (digits + 0.5005) / scale);
    }
    expect(mismatches(cases)).toEqual([]);
    expect(Number.isNaN(withoutFloatNoise(Number.NaN))).toBe(true);
  });
});
