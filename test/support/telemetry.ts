import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { setupTelemetry, type SetupOptions, type Telemetry } from '@llm-otel/setup';
import { semconv } from '@llm-otel/instrumentation';

export interface TelemetryUnderTest {
  telemetry: Telemetry;
  receiver: OtlpReceiver;
  /** Flushes and returns the LLM spans that reached the receiver. */
  flushedLlmSpans(count: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/** setupTelemetry() exporting through the real OTLP exporter to a real receiver on loopback. */
export async function telemetryToReceiver(options: SetupOptions = {}): Promise<TelemetryUnderTest> {
  const receiver = await startOtlpReceiver();
  const protocol = options.protocol ?? 'grpc';
  const telemetry = setupTelemetry({
    serviceName: 'llm-otel-test',
    endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
    protocol,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
    ...options,
  });
  return {
    telemetry,
    receiver,
    async flushedLlmSpans(count) {
      await telemetry.forceFlush();
      const spans = await receiver.waitFor((all) => all.filter(isLlmSpan).length >= count, 10_000);
      return spans.filter(isLlmSpan);
    },
    async close() {
      await telemetry.shutdown();
      await receiver.close();
    },
  };
}

/** A span of an LLM call: it has a GenAI operation that is not an agent, workflow or tool span's. */
export function isLlmSpan(span: ReceivedSpan): boolean {
  const operation = span.attributes['gen_ai.operation.name'];
  return operation !== undefined && !semconv.GEN_AI_AGENT_OPERATIONS.has(String(operation));
}
