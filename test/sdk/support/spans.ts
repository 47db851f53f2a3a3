import { expect } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { InstrumentedUnderTest } from '../../support/in-memory';

/** Time for a second span of the same attempt (the other hook, a late end) to show up if there were one. */
const SETTLE_MS = 150;

/**
 * The finished spans once `count` have ended, after waiting a little longer and failing unless there
 * are exactly `count`: each HTTP attempt is one span, never two.
 */
export async function exactlySpans(otel: InstrumentedUnderTest, count: number): Promise<ReadableSpan[]> {
  await otel.spans(count);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const spans = otel.exporter.getFinishedSpans();
  expect(spans.map((span) => span.name)).toHaveLength(count);
  return spans;
}

/** The LLM spans (ours), without the application's own spans. */
export function llmSpans(spans: readonly ReadableSpan[]): ReadableSpan[] {
  return spans.filter((span) => span.attributes['gen_ai.operation.name'] !== undefined && span.instrumentationScope.name.startsWith('@llm-otel'));
}

/** The one LLM span among `spans`. */
export function onlyLlmSpan(spans: readonly ReadableSpan[]): ReadableSpan {
  const found = llmSpans(spans);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Time to first chunk is positive and inside the span's duration. */
export function expectTimeToFirstChunk(span: ReadableSpan): void {
  const ttfc = span.attributes['gen_ai.response.time_to_first_chunk'];
  expect(ttfc).toBeTypeOf('number');
  expect(ttfc as number).toBeGreaterThan(0);
  const durationSeconds = span.duration[0] + span.duration[1] / 1e9;
  expect(ttfc as number).toBeLessThanOrEqual(durationSeconds);
}

/** Runs `work` inside an active application span (an agent turn) and returns its result and the span's id. */
export async function inAppSpan<T>(otel: InstrumentedUnderTest, work: () => Promise<T>): Promise<{ result: T; parentId: string }> {
  return otel.provider.getTracer('support-agent').startActiveSpan('agent.turn', async (parent) => {
    try {
      return { result: await work(), parentId: parent.spanContext().spanId };
    } finally {
      parent.end();
    }
  });
}
