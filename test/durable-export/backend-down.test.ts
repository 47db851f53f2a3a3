import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { createSpoolingSpanProcessor } from '../../packages/setup/src/spool';
import { describe, expect, it } from 'vitest';
import { arrivalSummary } from './disk-usage';

const N = 5000;

describe('durable export: backend down, then back', () => {
  for (const protocol of ['grpc', 'http/protobuf'] as const) {
    it(`delivers all ${N} span ids once the ${protocol} backend is up on the same port`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'spool-backend-down-'));
      // Learn two free ports, then leave them closed: the backend is down.
      const probe = await startOtlpReceiver();
      const grpcPort = Number(new URL(probe.grpcUrl).port);
      const httpPort = Number(new URL(probe.httpUrl).port);
      const endpoint = protocol === 'grpc' ? probe.grpcUrl : probe.httpUrl;
      await probe.close();

      const processor = createSpoolingSpanProcessor({ dir, endpoint, protocol, retryInitialMillis: 100, retryMaxMillis: 1000 });
      const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('backend-down');
      const ids: string[] = [];
      for (let i = 0; i < N; i++) {
        const span = tracer.startSpan(`call ${i}`);
        ids.push(span.spanContext().spanId);
        span.end();
      }
      await processor.forceFlush();
      expect(processor.stats()).toMatchObject({ queuedSpans: 0, droppedSpans: 0, sentBatches: 0 });
      expect(processor.stats().spoolFiles).toBeGreaterThanOrEqual(Math.ceil(N / 512));

      const receiver = await startOtlpReceiver({ grpcPort, httpPort });
      try {
        // A generous deadline, not a speed claim: the spool retries at most every second, and a loaded
        // machine only makes the replay of its files slower.
        const received = await receiver.waitFor((spans) => arrivalSummary(ids, spans).missing.length === 0, 90_000);
        const summary = arrivalSummary(ids, received);
        console.log(`[${protocol}] ${N} spans: ${summary.unique} unique ids arrived, ${summary.duplicates} duplicates, ${summary.missing.length} missing`);
        expect(summary.missing).toEqual([]);
        await processor.shutdown();
        expect(processor.stats()).toMatchObject({ spoolFiles: 0, droppedSpans: 0 });
      } finally {
        await processor.shutdown();
        await receiver.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
