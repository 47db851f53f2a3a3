import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { traceProtobufSerializer } from '../../src/otlp/trace-serializer';
import { spanGenerator } from './span-generator';

/** Upstream's bytes and ours for the same spans, or what each threw. */
function both(spans: ReadableSpan[]): { upstream: Buffer | string; ours: Buffer | string } {
  const run = (serialize: (spans: ReadableSpan[]) => Uint8Array | undefined) => {
    try {
      return Buffer.from(serialize(spans) ?? []);
    } catch (error) {
      return `threw ${(error as Error).constructor.name}`;
    }
  };
  return { upstream: run(ProtobufTraceSerializer.serializeRequest), ours: run(traceProtobufSerializer.serializeRequest) };
}

function expectIdentical(spans: ReadableSpan[], label: string): void {
  const { upstream, ours } = both(spans);
  if (typeof upstream === 'string' || typeof ours === 'string') {
    expect(ours, label).toEqual(upstream);
    return;
  }
  if (!upstream.equals(ours)) {
    let at = 0;
    while (at < upstream.length && upstream[at] === ours[at]) at++;
    expect.fail(`${label}: ${ours.length} bytes against upstream's ${upstream.length}, first difference at byte ${at}`);
  }
}

describe('the OTLP trace serializer writes the bytes upstream ProtobufTraceSerializer writes', () => {
  it('for 300 seeded batches covering every field and value type', () => {
    const generator = spanGenerator(20_261_202);
    for (let i = 0; i < 300; i++) expectIdentical(generator.batch(), `batch ${i}`);
  });

  it('for 1,000 generated spans one at a time (a difference is then one span, not a batch)', () => {
    const generator = spanGenerator(7);
    for (let i = 0; i < 1000; i++) expectIdentical([generator.span()], `span ${i}`);
  });

  it('for spans the SDK makes: parents, remote links, events, status, trace state, resources and scopes', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'differential', 'deployment.environment.name': 'test' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      spanLimits: { attributeCountLimit: 8, eventCountLimit: 2, linkCountLimit: 1 },
    });
    const tracers = [provider.getTracer('a'), provider.getTracer('b', '1.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' })];
    for (const [index, tracer] of tracers.entries()) {
      tracer.startActiveSpan(
        `parent ${index}`,
        { kind: 1, attributes: { 'gen_ai.operation.name': 'chat', many: Array.from({ length: 300 }, String) } },
        (parent) => {
          const child = tracer.startSpan('child', {
            links: [
              { context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true }, attributes: { link: 1 } },
              { context: parent.spanContext() },
            ],
          });
          for (let n = 0; n < 12; n++) child.setAttribute(`k${n}`, n % 2 ? 'é'.repeat(n * 20) : n);
          child.addEvent('first', { at: 1 });
          child.addEvent('second');
          child.addEvent('dropped');
          child.setStatus({ code: 2, message: 'it failed: ünïcode' });
          child.end();
          parent.end();
        },
      );
    }
    const spans = exporter.getFinishedSpans();
    expect(spans.some((span) => span.droppedAttributesCount > 0 && span.droppedEventsCount > 0 && span.droppedLinksCount > 0)).toBe(true);
    expectIdentical(spans, 'SDK spans');
    expectIdentical([...spans].reverse(), 'SDK spans reversed');
  });

  it('for no spans, and throws where upstream throws (an id that is not there)', () => {
    expectIdentical([], 'no spans');
    const span = spanGenerator(1).span();
    const broken = { ...span, spanContext: () => ({ ...span.spanContext(), traceId: undefined as unknown as string }) };
    expect(both([broken]).ours).toBe('threw TypeError');
    expectIdentical([broken], 'no trace id');
  });

  it('for values that are not what the types say (a numeric name, a non-string status message)', () => {
    const span = spanGenerator(3).span();
    expectIdentical([{ ...span, name: 42 as unknown as string }], 'numeric name');
    expectIdentical([{ ...span, status: { code: 2, message: { length: 2, charCodeAt: () => 0x41 } as unknown as string } }], 'string-like message');
    expectIdentical([{ ...span, status: { code: 2, message: { length: 1, charCodeAt: () => 0xe9 } as unknown as string } }], 'non-ASCII string-like');
    expectIdentical([{ ...span, kind: '1' as unknown as ReadableSpan['kind'] }], 'string kind');
    expectIdentical([{ ...span, droppedAttributesCount: undefined as unknown as number }], 'undefined count');
    expectIdentical([{ ...span, droppedEventsCount: -5 }], 'negative count');
  });

  it('keeps no state between calls: a large batch, then a small one, then the large one again', () => {
    const generator = spanGenerator(11);
    const large = Array.from({ length: 200 }, () => ({ ...generator.span(), attributes: { content: 'x'.repeat(30_000) } }));
    const small = generator.batch();
    const first = Buffer.from(traceProtobufSerializer.serializeRequest(large)!);
    expectIdentical(small, 'small after large');
    expect(Buffer.from(traceProtobufSerializer.serializeRequest(large)!).equals(first)).toBe(true);
    expectIdentical(large, 'large');
  });

  it('with more distinct attribute names than the writer keeps encoded', () => {
    const span = spanGenerator(13).span();
    const names = Array.from({ length: 6000 }, (_, index) => `name.${index}.${'ü'.repeat(index % 30)}`);
    expectIdentical([{ ...span, attributes: Object.fromEntries(names.map((name, index) => [name, index])) }], 'first time');
    expectIdentical([{ ...span, attributes: Object.fromEntries(names.reverse().map((name) => [name, name])) }], 'second time');
  });

  it('returns bytes of their own: a later call does not change an earlier result', () => {
    const generator = spanGenerator(5);
    const spans = generator.batch();
    const first = traceProtobufSerializer.serializeRequest(spans)!;
    const copy = Buffer.from(first);
    traceProtobufSerializer.serializeRequest(generator.batch());
    expect(Buffer.from(first).equals(copy)).toBe(true);
    expect(first.buffer.byteLength).toBe(first.byteLength);
  });

  it('reads responses as upstream does', () => {
    const response = Uint8Array.from([0x0a, 0x07, 0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]); // partial_success { rejected_spans: 3, error_message: 'bad' }
    expect(traceProtobufSerializer.deserializeResponse(response)).toEqual(ProtobufTraceSerializer.deserializeResponse(response));
    expect(traceProtobufSerializer.deserializeResponse(response).partialSuccess?.errorMessage).toBe('bad');
  });
});
