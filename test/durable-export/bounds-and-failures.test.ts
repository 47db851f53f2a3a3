import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { createSpoolingSpanProcessor } from '../../packages/setup/src/spool';
import { SpoolChild } from './children/child-process';
import { arrivalSummary, bytesUnder } from './disk-usage';
import { useSpoolBundle } from './spool-bundle';

const spoolBundle = useSpoolBundle();

describe('durable export: bounds', () => {
  it('overflowing maxBytes keeps disk use under the bound, and the drop counter equals the real loss', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-bounds-')), 'spool');
    const maxBytes = 256 * 1024;
    const probe = await startOtlpReceiver();
    await probe.close();
    const rounds = 40;
    const spansPerRound = 100;
    const writer = new SpoolChild({
      bundle: spoolBundle().spool,
      dir,
      endpoint: probe.grpcUrl,
      protocol: 'grpc',
      mode: 'produce',
      rounds,
      spansPerRound,
      attributeBytes: 500,
      maxBytes,
      maxBatchSpans: 50,
    });
    // Sample the disk while the child writes (a process outside the spool sees what an operator sees).
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, bytesUnder(dir));
    }, 2);
    await writer.waitFor((events) => events.some((e) => e.event === 'stats'), 60_000);
    clearInterval(sampler);
    await writer.exited;
    const stats = writer.finalStats()!;
    const written = writer.durableIds();
    expect(written).toHaveLength(rounds * spansPerRound);
    console.log(
      `maxBytes ${maxBytes}: peak disk use ${peak}, final ${bytesUnder(dir)}; dropped ${stats.droppedSpans} spans in ${stats.droppedBatches} batches`,
    );
    expect(peak).toBeLessThanOrEqual(maxBytes);
    expect(bytesUnder(dir)).toBeLessThanOrEqual(maxBytes);
    expect(stats.droppedSpans).toBeGreaterThan(0);

    const receiver = await startOtlpReceiver({ grpcPort: Number(new URL(probe.grpcUrl).port) });
    try {
      const drainer = new SpoolChild({ bundle: spoolBundle().spool, dir, endpoint: receiver.grpcUrl, protocol: 'grpc', mode: 'drain' });
      await drainer.waitFor((events) => events.some((e) => e.event === 'stats'));
      const summary = arrivalSummary(written, receiver.spans);
      console.log(`after drain: ${summary.unique} arrived, ${summary.missing.length} lost, counted drops ${stats.droppedSpans}`);
      expect(summary.missing.length).toBe(stats.droppedSpans);
      // Eviction is oldest first: what was lost is a prefix of what was written.
      expect(new Set(summary.missing)).toEqual(new Set(written.slice(0, summary.missing.length)));
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('durable export: backend failures', () => {
  it('retries 503 and UNAVAILABLE until accepted; sets 400 and INVALID_ARGUMENT aside in rejected/', async () => {
    const receiver = await startOtlpReceiver();
    const root = mkdtempSync(join(tmpdir(), 'spool-failures-'));
    try {
      for (const protocol of ['http/protobuf', 'grpc'] as const) {
        const processor = createSpoolingSpanProcessor({
          dir: join(root, protocol.replace('/', '-')),
          endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
          protocol,
          retryInitialMillis: 50,
          retryMaxMillis: 200,
        });
        const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('failures');
        const batch = (label: string, n: number) => {
          const ids: string[] = [];
          for (let i = 0; i < n; i++) {
            const span = tracer.startSpan(`${label} ${i}`);
            ids.push(span.spanContext().spanId);
            span.end();
          }
          return ids;
        };

        receiver.clear();
        receiver.setBehaviour({ httpStatus: 503, grpcStatus: 14, times: 3 });
        const retried = batch('retried', 20);
        await processor.forceFlush();
        await receiver.waitFor((spans) => arrivalSummary(retried, spans).missing.length === 0);
        expect(receiver.rejectedRequests).toBe(3);

        receiver.setBehaviour({ httpStatus: 400, grpcStatus: 3, times: 1 });
        const refused = batch('refused', 20);
        await processor.forceFlush();
        const accepted = batch('accepted', 20);
        await processor.forceFlush();
        await receiver.waitFor((spans) => arrivalSummary(accepted, spans).missing.length === 0);
        await processor.shutdown();
        expect(arrivalSummary(refused, receiver.spans).missing).toHaveLength(20);
        expect(processor.stats()).toMatchObject({ sentBatches: 2, rejectedBatches: 1, spoolFiles: 0, droppedSpans: 0 });
        expect(readdirSync(join(processor.directory, 'rejected'))).toHaveLength(1);
      }
    } finally {
      await receiver.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
