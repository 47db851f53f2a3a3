// An application that already runs the OpenTelemetry NodeSDK adds llm-otel's two parts to it:
// LlmInstrumentation records the LLM calls, LlmSpanProcessor goes around the queue processor (usage
// counted once, PII masked, shutdown waits for LLM spans still completing). This is the README's recipe.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { LlmSpanProcessor } from '@llm-otel/processor';

/** `url`: where the spans go (undefined: OTEL_EXPORTER_OTLP_ENDPOINT or the exporter's default); `providers`: extra provider hosts. */
export function startTelemetry({ serviceName, url, providers }) {
  const sdk = new NodeSDK({
    serviceName,
    instrumentations: [new LlmInstrumentation({ providers })],
    spanProcessors: [new LlmSpanProcessor(new BatchSpanProcessor(new OTLPTraceExporter(url ? { url } : {})), { pii: {} })],
  });
  sdk.start();
  return sdk;
}
