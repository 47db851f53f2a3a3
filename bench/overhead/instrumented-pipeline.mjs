import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CountingExporter } from './counting-exporter.mjs';

/**
 * The instrumented side as an application runs it: a real tracer provider with the default
 * BatchSpanProcessor (batching, queue, timers included), over an exporter that discards.
 * Enables the instrumentation: it wraps `globalThis.fetch` as it is at this moment.
 */
export function startInstrumentation(config = {}) {
  const exporter = new CountingExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const instrumentation = new LlmInstrumentation(config);
  instrumentation.setTracerProvider(tracerProvider);
  return {
    exporter,
    instrumentation,
    /** Every span ended so far has reached the exporter. */
    flush: () => tracerProvider.forceFlush(),
    async stop() {
      instrumentation.disable();
      await tracerProvider.shutdown();
    },
  };
}
