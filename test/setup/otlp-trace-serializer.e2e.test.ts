import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadFixture } from '@llm-otel/provider-stand-in';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { traceProtobufSerializer } from '../../packages/setup/src/otlp/trace-serializer';
import { instrumentInMemory } from '../support/in-memory';
import { replayRecordedCall, standInForFile } from '../support/recorded-calls';

// Issue 11 (export encoding): the spans the instrumentation makes from real provider traffic, content
// capture on, are serialized to the bytes upstream's ProtobufTraceSerializer writes, and those bytes
// are what the repository's own OTLP receiver decodes back to the same spans.

// Upstream as @llm-otel/setup resolves it (the version whose bytes ours must equal), not test/'s own.
const fromSetup = createRequire(new URL('../../packages/setup/package.json', import.meta.url));
const { ProtobufTraceSerializer: upstream } = fromSetup('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');

const FIXTURES = [
  'openai-chat.json',
  'openai-chat-tool-calls.json',
  'openai-chat-stream-no-usage.json',
  'openai-chat-stream-include-usage.json',
  'openai-chat-stream-tool-calls.json',
  'openai-responses.json',
  'openai-responses-cached-tokens.json',
  'anthropic-messages.json',
  'anthropic-messages-stream.json',
  'anthropic-messages-thinking.json',
  'gemini-generate-content.json',
  'together-chat-stream.json',
];

const standIn = standInForFile();
let spans: ReadableSpan[] = [];
let receiver: OtlpReceiver;

beforeAll(async () => {
  const otel = instrumentInMemory({ captureContent: true });
  try {
    let calls = 0;
    for (const fixture of FIXTURES) {
      for (let entry = 0; entry < loadFixture(fixture).entries.length; entry++, calls++) await replayRecordedCall(standIn(), otel, fixture, entry);
    }
    spans = await otel.spans(calls);
  } finally {
    await otel.close();
  }
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await receiver?.close();
});

test('every recorded call: the bytes upstream writes, span by span and as one batch', () => {
  expect(new Set(spans.map((span) => span.attributes['gen_ai.provider.name'])).size).toBeGreaterThanOrEqual(3);
  expect(spans.some((span) => String(span.attributes['gen_ai.input.messages'] ?? '').length > 100)).toBe(true);
  for (const span of spans) {
    expect(Buffer.from(traceProtobufSerializer.serializeRequest([span])!).equals(Buffer.from(upstream.serializeRequest([span])!)), span.name).toBe(true);
  }
  expect(Buffer.from(traceProtobufSerializer.serializeRequest(spans)!).equals(Buffer.from(upstream.serializeRequest(spans)!))).toBe(true);
});

test('the repository receiver decodes our bytes back to the spans: ids, names, kinds, times, status, every attribute', async () => {
  const response = await fetch(receiver.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: traceProtobufSerializer.serializeRequest(spans),
  });
  expect(response.status).toBe(200);
  const received = await receiver.waitForSpans(spans.length);
  expect(received).toHaveLength(spans.length);
  spans.forEach((span, index) => {
    const got = received[index]!;
    expect(got).toMatchObject({
      traceId: span.spanContext().traceId,
      spanId: span.spanContext().spanId,
      name: span.name,
      kind: span.kind + 1,
      startTimeUnixNano: BigInt(span.startTime[0]) * 1_000_000_000n + BigInt(span.startTime[1]),
      endTimeUnixNano: BigInt(span.endTime[0]) * 1_000_000_000n + BigInt(span.endTime[1]),
      status: { code: span.status.code },
      scope: { name: span.instrumentationScope.name },
    });
    expect(got.attributes).toEqual(span.attributes);
    expect(got.resource).toEqual(span.resource.attributes);
    expect(got.events.map((event) => event.name)).toEqual(span.events.map((event) => event.name));
  });
});
