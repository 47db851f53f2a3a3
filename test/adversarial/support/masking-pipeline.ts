import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AttributeValue } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { PiiMaskingSpanProcessor, type PiiMaskingOptions } from '@llm-otel/pii';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { createTraceExporter } from '../../../packages/setup/src/span-pipeline';

/**
 * The real parts the masking promise is made about: a PiiMaskingSpanProcessor in front of a
 * BatchSpanProcessor and a real OTLP exporter (the ones setupTelemetry() builds: the stock exporters'
 * parts with llm-otel's serializer), into the real receiver on loopback. The resources are reached
 * through @llm-otel/setup, which depends on them, so the tests add no dependency of their own.
 */
const requireFromSetup = createRequire(fileURLToPath(new URL('../../../packages/setup/package.json', import.meta.url)));

type ResourceAttributes = Record<string, AttributeValue | undefined>;
const { resourceFromAttributes } = requireFromSetup('@opentelemetry/resources') as {
  resourceFromAttributes(attributes: ResourceAttributes): ReadableSpan['resource'];
};

export interface MaskingPipeline {
  provider: BasicTracerProvider;
  receiver: OtlpReceiver;
  close(): Promise<void>;
}

export async function maskingPipeline(
  options: { protocol?: 'grpc' | 'http/protobuf'; resource?: ResourceAttributes; pii?: PiiMaskingOptions } = {},
): Promise<MaskingPipeline> {
  const receiver = await startOtlpReceiver();
  const protocol = options.protocol ?? 'http/protobuf';
  const exporter = createTraceExporter({ protocol, url: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl, headers: {}, timeoutMillis: 10_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'adversarial', ...options.resource }),
    spanProcessors: [new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 20 }), options.pii)],
  });
  return {
    provider,
    receiver,
    async close() {
      await provider.shutdown();
      await receiver.close();
    },
  };
}

/** Everything the receiver decoded, as one string to search. */
export function everythingReceived(receiver: OtlpReceiver): string {
  return JSON.stringify(receiver.spans, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
}
