import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type OtlpReceiver, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeBatchFile } from '../../src/spool/batch-file-format';
import { batchFileName } from '../../src/spool/batch-file-name';
import { acceptedOutcome } from '../../src/spool/export-outcome';
import { type SpoolingSpanProcessor, createSpoolingSpanProcessor } from '../../src/spool';
import { testSpoolOptions } from './harness';
import { useTempDirs } from './temp-dirs';

let receiver: OtlpReceiver;
const processors: SpoolingSpanProcessor[] = [];
const tempDir = useTempDirs('spool-processor-');
const diagMessages: string[] = [];
const collect = (message: string) => void diagMessages.push(message);
const logger: DiagLogger = { error: collect, warn: collect, info: collect, debug: () => undefined, verbose: () => undefined };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  diag.setLogger(logger, DiagLogLevel.INFO);
});
afterAll(async () => {
  diag.disable();
  await receiver.close();
});
afterEach(async () => {
  await Promise.all(processors.splice(0).map((p) => p.shutdown()));
  receiver.setBehaviour(undefined);
  receiver.clear();
  diagMessages.length = 0;
});

function spoolDir(): string {
  return join(tempDir(), 'spool');
}

function spool(options: Partial<Parameters<typeof createSpoolingSpanProcessor>[0]> & { protocol?: 'grpc' | 'http/protobuf' }): SpoolingSpanProcessor {
  const processor = createSpoolingSpanProcessor(testSpoolOptions(receiver, { dir: spoolDir(), ...options }));
  processors.push(processor);
  return processor;
}

function endSpans(processor: SpoolingSpanProcessor, count: number, onEach?: () => void): string[] {
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('spool-test');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`op ${i}`, { attributes: { i } });
    ids.push(span.spanContext().spanId);
    span.end();
    onEach?.();
  }
  return ids;
}

describe('SpoolingSpanProcessor', () => {
  for (const protocol of ['grpc', 'http/protobuf'] as const) {
    it(`ships every span over ${protocol} and empties the spool`, async () => {
      const processor = spool({ protocol });
      const ids = endSpans(processor, 1200);
      await processor.forceFlush();
      const received = await receiver.waitForSpans(1200);
      expect(new Set(received.map((s) => s.spanId))).toEqual(new Set(ids));
      expect(received.every((s) => s.transport === protocol)).toBe(true);
      expect(processor.stats()).toMatchObject({ queuedSpans: 0, spoolFiles: 0, spoolBytes: 0, droppedSpans: 0, sentBatches: 3 });
      expect(readdirSync(processor.directory).filter((n) => n.endsWith('.otlp'))).toEqual([]);
    });
  }

  it('spills to disk instead of dropping when a synchronous burst fills the queue, keeping memory bounded', async () => {
    const processor = spool({ maxQueueSpans: 1024, maxBatchSpans: 256 });
    let highWater = 0;
    const ids = endSpans(processor, 5000, () => {
      highWater = Math.max(highWater, processor.stats().queuedSpans);
    });
    expect(highWater).toBeLessThanOrEqual(1024);
    expect(processor.synchronousSpills).toBe(Math.floor((5000 - 1024) / 256) + 1);
    await processor.forceFlush();
    const received = await receiver.waitForSpans(5000);
    expect(new Set(received.map((s) => s.spanId)).size).toBe(new Set(ids).size);
    expect(processor.stats().droppedSpans).toBe(0);
  });

  it('retries 503 honouring Retry-After, then delivers', async () => {
    receiver.setBehaviour({ httpStatus: 503, retryAfterSeconds: 1, times: 2 });
    const processor = spool({ protocol: 'http/protobuf' });
    const started = Date.now();
    endSpans(processor, 10);
    await processor.forceFlush(); // the first attempt fails: forceFlush returns with the batch on disk
    expect(processor.stats().spoolFiles).toBe(1);
    await receiver.waitForSpans(10, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(receiver.rejectedRequests).toBe(2);
    await processor.forceFlush(); // the receiver counts a span before it answers: let the sender settle
    expect(processor.stats()).toMatchObject({ sentBatches: 1, rejectedBatches: 0, spoolFiles: 0 });
  });

  for (const [protocol, behaviour] of [
    ['http/protobuf', { httpStatus: 400 }],
    ['grpc', { grpcStatus: 3 }],
  ] as const) {
    it(`sets a permanently rejected batch aside (${protocol} ${JSON.stringify(behaviour)}) and goes on`, async () => {
      receiver.setBehaviour({ ...behaviour, times: 1 });
      const processor = spool({ protocol });
      endSpans(processor, 5);
      await processor.forceFlush();
      endSpans(processor, 7);
      await processor.forceFlush();
      await receiver.waitForSpans(7);
      expect(processor.stats()).toMatchObject({ rejectedBatches: 1, sentBatches: 1, spoolFiles: 0 });
      expect(readdirSync(join(processor.directory, 'rejected'))).toHaveLength(1);
      expect(processor.stats().spoolBytes).toBeGreaterThan(0);
      expect(diagMessages.some((m) => m.includes('rejected batch'))).toBe(true);
    });
  }

  it('forceFlush returns promptly with the batches on disk when the backend is down', async () => {
    await receiver.close();
    const processor = spool({ endpoint: receiver.grpcUrl, retryInitialMillis: 10_000, retryMaxMillis: 10_000 });
    endSpans(processor, 600);
    const started = Date.now();
    await processor.forceFlush();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(processor.stats()).toMatchObject({ queuedSpans: 0, spoolFiles: 2, sentBatches: 0, droppedSpans: 0 });
    receiver = await startOtlpReceiver();
  });

  it('adopts and drains the sub-directory of a dead process, then removes it', async () => {
    const dir = spoolDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const orphan = join(dir, `pid-${dead}`);
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'lock'), `${dead}\n`);
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('orphan');
    for (let i = 0; i < 4; i++) tracer.startSpan(`orphan ${i}`).end();
    const payload = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
    writeFileSync(join(orphan, batchFileName(Date.now(), 1, dead)), encodeBatchFile(payload, 4, Date.now()));
    const processor = spool({ dir });
    const received = await receiver.waitForSpans(4);
    expect(received.map((s) => s.name).sort()).toEqual(['orphan 0', 'orphan 1', 'orphan 2', 'orphan 3']);
    expect(readdirSync(dir).filter((n) => n.startsWith('pid-'))).toEqual([]);
    expect(processor.directory).toBe(dir);
  });

  it('reports queue depth, spool bytes and drops on a meter', async () => {
    await receiver.close();
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const processor = spool({ endpoint: receiver.grpcUrl, maxBytes: 2000, meter: meterProvider.getMeter('spool') });
    endSpans(processor, 100);
    await processor.forceFlush();
    await reader.forceFlush();
    const metrics = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const value = (name: string) => metrics.find((m) => m.descriptor.name === name)?.dataPoints[0]?.value;
    expect(value('llm_otel.spool.queue.spans')).toBe(0);
    expect(value('llm_otel.spool.bytes')).toBe(processor.stats().spoolBytes);
    expect(value('llm_otel.spool.dropped.spans')).toBe(100);
    expect(diagMessages.some((m) => m.includes('dropped 100 spans'))).toBe(true);
    await meterProvider.shutdown();
    receiver = await startOtlpReceiver();
  });
});

describe('OTLP partial success', () => {
  it('is read from the response body', () => {
    const inner = [0x08, 0x03, 0x12, 0x03, ...Buffer.from('bad')];
    expect(acceptedOutcome(Uint8Array.from([0x0a, inner.length, ...inner]))).toEqual({
      kind: 'accepted',
      partialSuccess: { rejectedSpans: 3, errorMessage: 'bad' },
    });
    expect(acceptedOutcome(new Uint8Array())).toEqual({ kind: 'accepted' });
  });
});
