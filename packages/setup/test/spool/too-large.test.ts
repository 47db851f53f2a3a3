import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { concatRequests, countSpans, replaceResource, resourceFieldOf, splitRequest } from '../../src/spool/otlp-payload';
import { encodedResourceField } from '../../src/spool/pending-resource';
import { endSpans, useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-too-large-');

function request(resources: number, spansPerScope: number) {
  const exporter = new InMemorySpanExporter();
  for (let r = 0; r < resources; r++) {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': `svc ${r}` }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    for (const scope of ['a', 'b']) {
      for (let i = 0; i < spansPerScope; i++) provider.getTracer(scope).startSpan(`${r}/${scope}/${i}`).end();
    }
  }
  return ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
}

describe('stored requests edited on the wire', () => {
  it('splits a request in two halves that hold every span once, in order, under their resources and scopes', () => {
    const payload = request(2, 3); // 12 spans: 2 resources × 2 scopes × 3
    expect(countSpans(payload)).toBe(12);
    const [first, firstSpans, second, secondSpans] = splitRequest(payload)!;
    expect([firstSpans, secondSpans, countSpans(first), countSpans(second)]).toEqual([6, 6, 6, 6]);
    const names = (bytes: Uint8Array) =>
      Buffer.from(bytes)
        .toString('latin1')
        .match(/\d\/[ab]\/\d/g);
    expect([...names(first)!, ...names(second)!]).toEqual(names(payload));
    expect(countSpans(concatRequests([first, second]))).toBe(12);
    const [one] = splitRequest(splitRequest(splitRequest(request(1, 1))![0])?.[0] ?? new Uint8Array()) ?? [undefined];
    expect(one).toBeUndefined();
    expect(splitRequest(request(1, 1).subarray(0, 0))).toBeUndefined();
  });

  it('replaces the resource of every ResourceSpans', () => {
    const settled = encodedResourceField(resourceFromAttributes({ 'host.id': 'host-42' }))!;
    const replaced = replaceResource(request(2, 1), settled);
    expect(Buffer.from(resourceFieldOf(replaced)!)).toEqual(Buffer.from(settled));
    expect(Buffer.from(replaced).toString('latin1').split('host-42')).toHaveLength(3);
    expect(countSpans(replaced)).toBe(4);
  });
});

describe('a backend that refuses requests above a size', () => {
  for (const protocol of ['http/protobuf', 'grpc'] as const) {
    it(`${protocol}: the batch is split and sent in parts; a span too large alone is set aside and counted`, async () => {
      harness.receiver.setBehaviour({ maxRequestBytes: 20_000 });
      const processor = harness.spool({ dir: join(tempDir(), 'spool'), protocol, maxBatchSpans: 200 });
      const ids = endSpans(processor, 100, { filler: 'x'.repeat(1000) }); // about 110 kB in one batch
      const [huge] = endSpans(processor, 1, { filler: 'y'.repeat(50_000) });
      await processor.forceFlush();
      const received = await harness.receiver.waitFor((spans) => new Set(spans.map((s) => s.spanId)).size >= 100, 20_000);
      await processor.forceFlush();
      expect(new Set(received.map((s) => s.spanId))).toEqual(new Set(ids));
      expect(received.some((s) => s.spanId === huge)).toBe(false);
      expect(processor.stats()).toMatchObject({ sentBatches: 1, tooLargeSpans: 1, rejectedBatches: 1, spoolFiles: 0, droppedSpans: 0 });
      expect(readdirSync(join(processor.directory, 'rejected'))).toHaveLength(1);
      expect(harness.receiver.rejectedRequests).toBeGreaterThan(1);
    });
  }

  it('keeps the unsent remainder in place when the backend fails half-way, and sends nothing twice', async () => {
    harness.receiver.setBehaviour({ maxRequestBytes: 40_000 });
    const processor = harness.spool({ dir: join(tempDir(), 'spool'), protocol: 'http/protobuf', maxBatchSpans: 200 });
    endSpans(processor, 100, { filler: 'x'.repeat(1000) });
    // The receiver calls a waitFor predicate inside the export that delivered spans, before it answers:
    // after the first accepted part the backend is down for the next three requests.
    let switched = false;
    void harness.receiver
      .waitFor((spans) => {
        if (!switched && spans.length > 0) {
          switched = true;
          harness.receiver.setBehaviour({ maxRequestBytes: 40_000, httpStatus: 503, times: 3 });
        }
        return switched;
      }, 20_000)
      .catch(() => undefined); // the assertions below report a miss
    await processor.forceFlush();
    const received = await harness.receiver.waitFor((spans) => new Set(spans.map((s) => s.spanId)).size >= 100, 20_000);
    expect(switched).toBe(true);
    expect(harness.messages.some((m) => m.includes('export failed (HTTP 503'))).toBe(true);
    expect(received).toHaveLength(100);
  });
});
