import { describe, expect, onTestFinished, test } from 'vitest';
import { TokenCountClient } from '../../src/estimate/token-count-client';

// The bounds are checked when an estimate is asked for, before anything is posted: replies from the
// worker arrive on a later turn at the earliest, so requests made in one turn all count as waiting.

describe('the token-estimate backlog is bounded', () => {
  test('by count: past maxPending, estimates are skipped at once and counted', async () => {
    const client = new TokenCountClient({ maxPending: 2, maxPendingBytes: 1024 * 1024 });
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => client.count('o200k_base', [`turn ${i}: where is my order?`])));
    expect(results.slice(0, 2).every((result) => Array.isArray(result) && result[0] > 0)).toBe(true);
    expect(results.slice(2)).toEqual(Array(3).fill({ skipped: 'backlog_full' }));
    expect(client.skippedForBacklog).toBe(3);
    // Answered estimates leave the backlog: there is room again.
    expect(await client.count('o200k_base', ['again'])).toEqual([1]);
  });

  test('by bytes of waiting text (2 per UTF-16 code unit)', async () => {
    const client = new TokenCountClient({ maxPending: 100, maxPendingBytes: 100 });
    const first = client.count('o200k_base', ['a'.repeat(30), 'b'.repeat(10)]); // 80 bytes
    const second = client.count('o200k_base', ['c'.repeat(11)]); // 22 more: over
    const third = client.count('o200k_base', ['d'.repeat(10)]); // 20 more: fits
    expect(await second).toEqual({ skipped: 'backlog_full' });
    expect(Array.isArray(await first)).toBe(true);
    expect(Array.isArray(await third)).toBe(true);
    expect(Array.isArray(await client.count('o200k_base', ['e'.repeat(50)]))).toBe(true);
  });
});

test('a tokenizer that cannot be found (a bundle that left gpt-tokenizer out) is said, not silent', async () => {
  const client = new TokenCountClient(undefined, () => ['/nowhere/app.js']);
  // pnpm's bin shim that started vitest sets NODE_PATH to its hoisted store, where gpt-tokenizer is.
  const nodePath = process.env.NODE_PATH;
  delete process.env.NODE_PATH;
  onTestFinished(() => {
    if (nodePath !== undefined) process.env.NODE_PATH = nodePath;
  });
  expect(await client.count('o200k_base', ['hello'])).toEqual({ skipped: 'tokenizer_unavailable' });
  expect(await client.count('o200k_base', ['hello'])).toEqual({ skipped: 'tokenizer_unavailable' });
});
