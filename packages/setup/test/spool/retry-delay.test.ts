import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryDelayMillis } from '../../src/spool/retry-delay';

describe('retry delay', () => {
  it('doubles from the initial delay up to the cap, with ±20 % jitter', () => {
    expect(retryDelayMillis(1, 1000, 30_000, undefined, () => 0.5)).toBe(1000);
    expect(retryDelayMillis(3, 1000, 30_000, undefined, () => 0.5)).toBe(4000);
    expect(retryDelayMillis(20, 1000, 30_000, undefined, () => 0.5)).toBe(30_000);
    expect(retryDelayMillis(1, 1000, 30_000, undefined, () => 0)).toBe(800);
    expect(retryDelayMillis(1, 1000, 30_000, undefined, () => 0.999999)).toBe(1200);
  });

  it('waits at least what Retry-After asked, up to five minutes', () => {
    expect(retryDelayMillis(1, 1000, 30_000, 7000, () => 0.5)).toBe(7000);
    expect(retryDelayMillis(1, 1000, 30_000, 3_600_000, () => 0.5)).toBe(300_000);
  });

  it('parses seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(['2'])).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
