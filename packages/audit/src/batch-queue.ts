import { createRequire } from 'node:module';
import type { BatchSpanProcessor, BufferConfig, SpanExporter } from '@opentelemetry/sdk-trace-base';

type BatchSpanProcessorClass = typeof BatchSpanProcessor;
let loaded: BatchSpanProcessorClass | undefined;

/**
 * A BatchSpanProcessor of `@opentelemetry/sdk-trace-base` 2.x around `exporter`, that package loaded at
 * this first use rather than when @llm-otel/audit (or @llm-otel/processor) loads: it is an optional peer,
 * absent beside the OpenTelemetry 3.x line (whose SDK is `@opentelemetry/sdk-trace`), where only the forms
 * that take a queue of the application's own work (`test/versions/declared-dependencies.test.ts`).
 * `createRequire(import.meta.url)`: tsup's `shims` gives the CommonJS build an `import.meta.url`.
 */
export function newBatchSpanProcessor(exporter: SpanExporter, config?: BufferConfig): BatchSpanProcessor {
  if (!loaded) {
    try {
      loaded = (createRequire(import.meta.url)('@opentelemetry/sdk-trace-base') as { BatchSpanProcessor: BatchSpanProcessorClass }).BatchSpanProcessor;
    } catch {
      throw new Error(
        'llm-otel: given an exporter, this builds a BatchSpanProcessor of @opentelemetry/sdk-trace-base 2.x, which is not installed; ' +
          'install it, or pass a queue of your own (on the OpenTelemetry 3.x line: new BatchSpanProcessor({ exporter }) of @opentelemetry/sdk-trace)',
      );
    }
  }
  return new loaded(exporter, config);
}
