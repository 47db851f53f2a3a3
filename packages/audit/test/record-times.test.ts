import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { recordFromReadableSpan, recordTimes } from '../src';

/** The reference: BigInt nanoseconds, as @opentelemetry/otlp-transformer computes them. */
const nanos = (time: HrTime) => BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]));

function span(startTime: HrTime, endTime: HrTime, eventTime: HrTime): ReadableSpan {
  return {
    name: 'n',
    kind: 0,
    spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 }),
    startTime,
    endTime,
    attributes: {},
    events: [{ name: 'e', time: eventTime }],
    links: [],
    status: { code: 0 },
    resource: { attributes: {} },
    instrumentationScope: { name: 's' },
  } as unknown as ReadableSpan;
}

describe('record times: the safe-integer fast path gives the BigInt result', () => {
  it('for random and edge hrtimes (xorshift, seeded)', () => {
    let state = 0x2545f491;
    const random = () => ((state ^= state << 13), (state ^= state >>> 17), (state ^= state << 5), (state >>> 0) / 2 ** 32);
    const edges: HrTime[] = [
      [0, 0],
      [0, 999],
      [0, 1000],
      [1, 999_999_999],
      [1_764_000_000, 999_999_999],
      [1_764_000_000, 1_000],
      [2 ** 31, 123_456_789],
      [1.5e9, 999_999.7],
      [9e12, 5],
    ];
    const times: HrTime[] = [...edges];
    for (let i = 0; i < 2000; i++) times.push([Math.floor(random() * 2e9), Math.floor(random() * 1e9)]);
    for (let i = 0; i < times.length; i++) {
      const start = times[i]!;
      const candidates: HrTime[] = [
        start,
        [start[0], Math.min(999_999_999, start[1] + 999)],
        [start[0] + Math.floor(random() * 200_000), Math.floor(random() * 1e9)],
        times[(i + 1) % times.length]!,
      ];
      for (const end of candidates) {
        const record = recordFromReadableSpan(span(start, end, end));
        const expected = recordTimes(nanos(start), nanos(end));
        expect([record.startMicros, record.durationMicros, record.events[0]!.timeMicros]).toEqual([
          expected.startMicros,
          expected.durationMicros,
          nanos(end) / 1000n,
        ]);
      }
    }
  });
});
