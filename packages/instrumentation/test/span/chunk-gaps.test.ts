import { describe, expect, it } from 'vitest';
import { CHUNK_GAP_BUCKETS, ChunkGaps } from '../../src/span/chunk-gaps';

describe('ChunkGaps', () => {
  it('records one measurement per chunk after the first, keeping each bucket count and the sum', () => {
    const gaps = new ChunkGaps();
    const times = [0, 5, 10, 110, 112, 3112]; // gaps 5 ms, 5 ms, 100 ms, 2 ms, 3 s
    for (const at of times) gaps.onChunk(at);
    const recorded: number[] = [];
    gaps.forEachMeasurement((seconds) => recorded.push(seconds));
    expect(recorded).toHaveLength(times.length - 1);
    expect(recorded.reduce((sum, value) => sum + value, 0)).toBeCloseTo(3.112, 9);
    const bucketOf = (seconds: number) => CHUNK_GAP_BUCKETS.findIndex((bound) => seconds <= bound);
    expect(recorded.map(bucketOf).sort()).toEqual([0.005, 0.005, 0.1, 0.002, 3].map(bucketOf).sort());
  });

  it('a single chunk records nothing', () => {
    const gaps = new ChunkGaps();
    gaps.onChunk(1);
    const recorded: number[] = [];
    gaps.forEachMeasurement((seconds) => recorded.push(seconds));
    expect(recorded).toEqual([]);
  });

  it('keeps constant space and records a very long stream proportionally (at most 4,096 measurements)', () => {
    const gaps = new ChunkGaps();
    // 1 ms gaps, with a 91 ms one before every tenth chunk.
    let at = 0;
    for (let i = 0; i < 200_000; i++) gaps.onChunk((at += i % 10 === 0 ? 91 : 1));
    expect(gaps.total).toBe(199_999);
    const recorded: number[] = [];
    gaps.forEachMeasurement((seconds) => recorded.push(seconds));
    expect(recorded.length).toBeLessThanOrEqual(4096 + CHUNK_GAP_BUCKETS.length + 1);
    const slow = recorded.filter((seconds) => seconds > 0.05).length / recorded.length;
    expect(slow).toBeGreaterThan(0.08);
    expect(slow).toBeLessThan(0.12);
  });
});
