import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-async-resource-');
const BURST = 3072;

function bytesUnder(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir, { recursive: true }).map(String)) {
    try {
      const stat = statSync(join(dir, name));
      if (stat.isFile()) total += stat.size;
    } catch {
      // renamed or removed meanwhile
    }
  }
  return total;
}

/** A resource whose host.id a detector answers later, as the host detector does (and an e-mail in another attribute). */
function lateResource(delayMillis: number) {
  return resourceFromAttributes({
    'service.name': 'burst',
    'host.id': new Promise<string>((resolve) => setTimeout(() => resolve('host-7f3a'), delayMillis)),
    'deployment.owner': 'ops.lead@example.com',
  });
}

function burst(processor: PiiMaskingSpanProcessor, delayMillis: number): void {
  const tracer = new BasicTracerProvider({ resource: lateResource(delayMillis), spanProcessors: [processor] }).getTracer('burst');
  for (let i = 0; i < BURST; i++) tracer.startSpan(`start-up ${i}`).end();
}

describe('spans spilled before asynchronous resource attributes settled', () => {
  it(`a burst of ${BURST} spans at start-up, most of them spilled synchronously, all arrive with host.id, masked`, async () => {
    const spool = harness.spool({ dir: join(tempDir(), 'spool') });
    burst(new PiiMaskingSpanProcessor(spool), 50);
    expect(spool.synchronousSpills).toBeGreaterThan(0);
    await spool.forceFlush();
    const received = await harness.receiver.waitForSpans(BURST, 20_000);
    expect(received.filter((span) => span.resource['host.id'] !== 'host-7f3a')).toHaveLength(0);
    expect(new Set(received.map((span) => span.resource['deployment.owner']))).toEqual(new Set(['<EMAIL>']));
  });

  it('with the backend down, the files on disk get the settled resource once it settles', async () => {
    const probe = await startOtlpReceiver();
    await probe.close();
    const spool = harness.spool({ dir: join(tempDir(), 'spool'), endpoint: probe.grpcUrl, retryInitialMillis: 60_000, retryMaxMillis: 60_000 });
    burst(new PiiMaskingSpanProcessor(spool), 300);
    const files = () => readdirSync(spool.directory).filter((name) => name.endsWith('.otlp'));
    const withHostId = () => files().filter((name) => readFileSync(join(spool.directory, name)).includes('host-7f3a')).length;
    expect(files().length).toBeGreaterThan(0);
    expect(withHostId()).toBe(0);
    await spool.forceFlush();
    const deadline = Date.now() + 20_000;
    while (withHostId() < files().length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(withHostId()).toBe(files().length);
    expect(files().length).toBe(BURST / 512);
    for (const name of files()) expect(readFileSync(join(spool.directory, name)).includes('example.com')).toBe(false);
  });

  it("rewriting the files stays under maxBytes (the rewrite's temp copy is reserved like a new batch)", async () => {
    const probe = await startOtlpReceiver();
    await probe.close();
    const maxBytes = 120_000;
    const spool = harness.spool({ dir: join(tempDir(), 'spool'), endpoint: probe.grpcUrl, maxBytes, retryInitialMillis: 60_000, retryMaxMillis: 60_000 });
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, bytesUnder(spool.directory));
    }, 1);
    try {
      burst(new PiiMaskingSpanProcessor(spool), 100);
      await spool.forceFlush();
      const files = () => readdirSync(spool.directory).filter((name) => name.endsWith('.otlp'));
      const deadline = Date.now() + 20_000;
      while (files().some((name) => !readFileSync(join(spool.directory, name)).includes('host-7f3a')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      clearInterval(sampler);
    }
    console.log(`rewrites under maxBytes ${maxBytes}: peak ${peak} bytes on disk; ${spool.stats().droppedSpans} spans dropped at the bound`);
    expect(peak).toBeGreaterThan(maxBytes / 2);
    expect(peak).toBeLessThanOrEqual(maxBytes);
  });
});
