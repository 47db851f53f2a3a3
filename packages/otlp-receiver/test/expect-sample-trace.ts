import { expect } from 'vitest';
import type { ReceivedSpan, ReceiverTransport } from '@llm-otel/otlp-receiver';
import { CHAT_ATTRIBUTES, SCHEMA_URL, type SampleTrace } from './sample-spans';

/** Asserts that the receiver decoded recordSampleTrace()'s spans exactly as the SDK recorded them. */
export function expectSampleTraceDecoded(received: ReceivedSpan[], sample: SampleTrace, transport: ReceiverTransport) {
  expect(received).toHaveLength(2);
  const root = received.find((span) => span.name === 'agent.run')!;
  const chat = received.find((span) => span.name === 'chat gpt-4o-mini')!;

  expect(root.traceId).toBe(sample.root.spanContext().traceId);
  expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(root.spanId).toBe(sample.root.spanContext().spanId);
  expect(root.parentSpanId).toBeUndefined();
  expect(root.kind).toBe(1);
  expect(root.status).toEqual({ code: 1 });

  expect(chat.traceId).toBe(root.traceId);
  expect(chat.spanId).toBe(sample.chat.spanContext().spanId);
  expect(chat.spanId).toMatch(/^[0-9a-f]{16}$/);
  expect(chat.parentSpanId).toBe(root.spanId);
  expect(chat.kind).toBe(3);
  expect(chat.status).toEqual({ code: 2, message: 'Rate limit reached' });
  expect(chat.attributes).toEqual({ ...CHAT_ATTRIBUTES, 'error.type': 'rate_limit_exceeded' });
  expect(chat.attributes['test.max_safe_int']).toBe(Number.MAX_SAFE_INTEGER);

  const [seconds, nanos] = sample.chat.startTime;
  expect(chat.startTimeUnixNano).toBe(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
  expect(chat.endTimeUnixNano).toBeGreaterThanOrEqual(chat.startTimeUnixNano);

  expect(chat.events).toHaveLength(1);
  expect(chat.events[0].name).toBe('gen_ai.first_chunk');
  expect(chat.events[0].attributes).toEqual({ 'chunk.index': 0, 'chunk.bytes': 128 });
  expect(chat.events[0].timeUnixNano).toBeGreaterThanOrEqual(chat.startTimeUnixNano);

  expect(chat.links).toEqual([{ traceId: sample.linkedTraceId, spanId: sample.linkedSpanId, attributes: { 'link.reason': 'retry-of' } }]);

  for (const span of [root, chat]) {
    expect(span.resource).toMatchObject({
      'service.name': 'receiver-test',
      'service.version': '9.9.9',
      'host.cpu.count': 8,
    });
    expect(span.scope).toEqual({ name: 'receiver-test-scope', version: '1.2.3', schemaUrl: SCHEMA_URL });
    expect(span.transport).toBe(transport);
  }
}
