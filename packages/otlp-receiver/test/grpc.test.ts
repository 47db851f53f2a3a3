import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { exportSpans, recordSampleTrace } from './sample-spans';
import { expectSampleTraceDecoded } from './expect-sample-trace';

/** The exporter's CompressionAlgorithm.GZIP (the enum lives in a package this one does not depend on). */
const GZIP = 'gzip' as NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>['compression'];

describe('gRPC transport, real exporter-trace-otlp-grpc', () => {
  let receiver: OtlpReceiver;
  let exporter: OTLPTraceExporter;

  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await exporter?.shutdown();
    await receiver.close();
  });

  it('decodes every field of the exported spans', async () => {
    const sample = await recordSampleTrace();
    exporter = new OTLPTraceExporter({ url: receiver.grpcUrl });
    const result = await exportSpans(exporter, sample.spans);
    expect(result.code).toBe(0);
    expectSampleTraceDecoded(await receiver.waitForSpans(2), sample, 'grpc');
    expect(receiver.exportRequests).toBe(1);
    expect(receiver.rejectedRequests).toBe(0);
  });

  it('accepts gzip-compressed gRPC messages', async () => {
    const sample = await recordSampleTrace();
    exporter = new OTLPTraceExporter({ url: receiver.grpcUrl, compression: GZIP });
    expect((await exportSpans(exporter, sample.spans)).code).toBe(0);
    expectSampleTraceDecoded(receiver.spans, sample, 'grpc');
  });
});
