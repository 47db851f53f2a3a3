import { join } from 'node:path';
import { type Attributes, context } from '@opentelemetry/api';
import { BasicTracerProvider, type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { resolveSpoolProcessorOptions } from '../../src/spool/spool-options';
import { useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-stock-');

/** Records every span, samples only those whose attributes say so: unsampled spans still reach onEnd. */
const recordOnlyUnlessMarked: Sampler = {
  shouldSample: (_context, _traceId, _name, _kind, attributes: Attributes) => ({
    decision: attributes.sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD,
  }),
  toString: () => 'recordOnlyUnlessMarked',
};

describe('the spool batches as the stock BatchSpanProcessor does', () => {
  it('exports only sampled spans (a recording span without the SAMPLED flag is not exported)', async () => {
    const processor = harness.spool({ dir: join(tempDir(), 'spool') });
    const tracer = new BasicTracerProvider({ sampler: recordOnlyUnlessMarked, spanProcessors: [processor] }).getTracer('sampling');
    for (let i = 0; i < 20; i++) tracer.startSpan(`span ${i}`, { attributes: { sampled: i % 2 === 0 } }, context.active()).end();
    await processor.forceFlush();
    await harness.receiver.waitForSpans(10);
    await processor.shutdown();
    expect(harness.receiver.spans.map((span) => span.attributes.sampled)).toEqual(Array(10).fill(true));
  });

  it('gives up an export attempt after exportTimeoutMillis, even when the request timeout is longer', async () => {
    harness.receiver.setBehaviour({ hang: true, times: 1 });
    const processor = harness.spool({ dir: join(tempDir(), 'spool'), protocol: 'http/protobuf', timeoutMillis: 60_000, exportTimeoutMillis: 200 });
    const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('timeout');
    for (let i = 0; i < 5; i++) tracer.startSpan(`span ${i}`).end();
    void processor.forceFlush();
    // With the request timeout (60 s) the hanging first attempt would hold the batch far past this wait.
    await harness.receiver.waitForSpans(5, 20_000);
    expect(harness.receiver.rejectedRequests).toBe(1);
  });

  it('reads the OTEL_BSP_* variables when the options are not given, warning about a malformed one and using the default', () => {
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '-3', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '64', OTEL_BSP_SCHEDULE_DELAY: 'soon', OTEL_BSP_EXPORT_TIMEOUT: '700' };
    const resolved = resolveSpoolProcessorOptions({ dir: tempDir(), endpoint: 'http://localhost:4317', protocol: 'grpc' }, env);
    expect(resolved).toMatchObject({ maxQueueSpans: 2048, maxBatchSpans: 64, flushIntervalMillis: 1000, exportTimeoutMillis: 700 });
    expect(harness.messages.filter((m) => /OTEL_BSP_(MAX_QUEUE_SIZE|SCHEDULE_DELAY) must be a positive integer/.test(m))).toHaveLength(2);
    // Options in code win over the environment; a batch larger than the queue is cut to it, as the BatchSpanProcessor does.
    const explicit = resolveSpoolProcessorOptions(
      { dir: tempDir(), endpoint: 'http://localhost:4317', protocol: 'grpc', maxQueueSpans: 100, maxBatchSpans: 500 },
      env,
    );
    expect(explicit).toMatchObject({ maxQueueSpans: 100, maxBatchSpans: 100 });
  });
});
