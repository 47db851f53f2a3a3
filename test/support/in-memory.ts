import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { LlmInstrumentation, type LlmInstrumentationConfig } from '@llm-otel/instrumentation';

export interface InstrumentedUnderTest {
  instrumentation: LlmInstrumentation;
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
  /** Waits until `count` LLM spans have ended (span end is deferred past the caller's last read). */
  spans(count: number, timeoutMs?: number): Promise<ReadableSpan[]>;
  close(): Promise<void>;
}

/**
 * LlmInstrumentation alone, recording into memory: for tests about hooks and parsing where the
 * OTLP path adds nothing (the e2e tests cover that path).
 */
export function instrumentInMemory(config: LlmInstrumentationConfig = {}): InstrumentedUnderTest {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const instrumentation = new LlmInstrumentation(config);
  instrumentation.setTracerProvider(provider);
  return {
    instrumentation,
    provider,
    exporter,
    async spans(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (exporter.getFinishedSpans().length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} spans, got ${exporter.getFinishedSpans().length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return exporter.getFinishedSpans();
    },
    async close() {
      instrumentation.disable();
      context.disable();
      trace.disable();
      await provider.shutdown();
    },
  };
}
