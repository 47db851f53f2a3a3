import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { BasicTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type OtlpReceiver, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type SpoolProcessorOptions, type SpoolingSpanProcessor, createSpoolingSpanProcessor } from '../../src/spool';

export interface SpoolHarness {
  readonly receiver: OtlpReceiver;
  /** diag messages (info and above) since the test started. */
  readonly messages: string[];
  /** A processor shipping to the harness's receiver, shut down after the test. */
  spool(options: Partial<SpoolProcessorOptions> & { dir: string }): SpoolingSpanProcessor;
}

/** One receiver for a test file, a diag logger that collects, and processors that are shut down after each test. */
export function useSpoolHarness(): SpoolHarness {
  const processors: SpoolingSpanProcessor[] = [];
  const messages: string[] = [];
  const collect = (message: string) => void messages.push(message);
  const logger: DiagLogger = { error: collect, warn: collect, info: collect, debug: () => undefined, verbose: () => undefined };
  let receiver: OtlpReceiver | undefined;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    diag.setLogger(logger, DiagLogLevel.INFO);
  });
  afterAll(async () => {
    diag.disable();
    await receiver?.close();
  });
  afterEach(async () => {
    await Promise.all(processors.splice(0).map((p) => p.shutdown()));
    receiver?.setBehaviour(undefined);
    receiver?.clear();
    messages.length = 0;
  });
  return {
    get receiver() {
      if (!receiver) throw new Error('the receiver starts in beforeAll');
      return receiver;
    },
    messages,
    spool(options) {
      const processor = createSpoolingSpanProcessor(testSpoolOptions(this.receiver, options));
      processors.push(processor);
      return processor;
    },
  };
}

/** Options for a spool shipping to `receiver`, with retries quick enough for tests. */
export function testSpoolOptions(receiver: OtlpReceiver, options: Partial<SpoolProcessorOptions> & { dir: string }): SpoolProcessorOptions {
  const protocol = options.protocol ?? 'grpc';
  return {
    endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
    retryInitialMillis: 50,
    retryMaxMillis: 200,
    timeoutMillis: 3000,
    ...options,
    protocol,
  };
}

/** Ends `count` spans through `processor` and returns their span ids. */
export function endSpans(processor: SpanProcessor, count: number, attributes: Record<string, string | number> = {}): string[] {
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer('spool-test');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan(`op ${i}`, { attributes: { i, ...attributes } });
    ids.push(span.spanContext().spanId);
    span.end();
  }
  return ids;
}
