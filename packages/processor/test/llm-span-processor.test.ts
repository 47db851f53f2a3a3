import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, test, vi } from 'vitest';
import { LlmSpanProcessor, type LlmSpanProcessorOptions } from '../src';
import { PendingCompletions } from '../../instrumentation/src/span/pending-llm-spans';

/** A tracer provider whose only processor is LlmSpanProcessor around a SimpleSpanProcessor. */
function pipeline(options?: LlmSpanProcessorOptions) {
  const exporter = new InMemorySpanExporter();
  const queue = new SimpleSpanProcessor(exporter);
  const processor = new LlmSpanProcessor(queue, options);
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { exporter, queue, processor, provider };
}

/** An SDK's own call span with usage and PII, and llm-otel's attempt span as its child. */
function selfTracingSdkCall(provider: BasicTracerProvider): void {
  const call = provider.getTracer('com.anthropic.sdk.typescript').startSpan('anthropic.messages.create');
  call.setAttributes({ 'gen_ai.usage.input_tokens': 17, 'gen_ai.usage.output_tokens': 158, 'customer.email': 'jane.doe@example.com' });
  const attempt = provider.getTracer('@llm-otel/instrumentation').startSpan('chat claude-3-opus', {}, trace.setSpan(context.active(), call));
  attempt.setAttributes({ 'gen_ai.usage.input_tokens': 17, 'gen_ai.usage.output_tokens': 158 });
  call.end();
  attempt.end();
}

const byName = (spans: ReadableSpan[], name: string) => spans.find((span) => span.name === name)!;

describe('pipeline order: usage de-duplication, then masking, then the queue', () => {
  test('the SDK span reaches the queue with its usage superseded and its PII masked', () => {
    const { exporter, provider } = pipeline();
    selfTracingSdkCall(provider);
    const sdkSpan = byName(exporter.getFinishedSpans(), 'anthropic.messages.create');
    expect(sdkSpan.attributes).toMatchObject({
      'llm_otel.superseded.gen_ai.usage.input_tokens': 17,
      'llm_otel.superseded.gen_ai.usage.output_tokens': 158,
      'customer.email': '<EMAIL>',
    });
    expect(Object.keys(sdkSpan.attributes).filter((key) => key.startsWith('gen_ai.usage.'))).toEqual([]);
    expect(byName(exporter.getFinishedSpans(), 'chat claude-3-opus').attributes['gen_ai.usage.output_tokens']).toBe(158);
  });

  test('pii options reach the masking stage; pii: false turns masking off, not de-duplication', () => {
    const custom = pipeline({ pii: { operators: { EMAIL: { kind: 'redact' } } } });
    selfTracingSdkCall(custom.provider);
    expect(byName(custom.exporter.getFinishedSpans(), 'anthropic.messages.create').attributes['customer.email']).toBe('');

    const unmasked = pipeline({ pii: false });
    selfTracingSdkCall(unmasked.provider);
    const sdkSpan = byName(unmasked.exporter.getFinishedSpans(), 'anthropic.messages.create');
    expect(sdkSpan.attributes['customer.email']).toBe('jane.doe@example.com');
    expect(sdkSpan.attributes['llm_otel.superseded.gen_ai.usage.input_tokens']).toBe(17);
  });
});

describe('forceFlush() and shutdown() wait for LLM spans still completing', () => {
  /** A span completion as LlmInstrumentation registers it: the span ends when `complete()` is called. */
  function completingSpan(provider: BasicTracerProvider) {
    const span = provider.getTracer('@llm-otel/instrumentation').startSpan('chat gpt-4o-mini');
    const completions = new PendingCompletions();
    let complete!: () => void;
    const completion = new Promise<void>((resolve) => (complete = resolve)).then(() => span.end());
    completions.add(completion);
    void completion.finally(() => completions.delete(completion));
    return { complete, completions };
  }

  for (const method of ['forceFlush', 'shutdown'] as const) {
    test(`${method}(): the span ending meanwhile reaches the queue before it is flushed`, async () => {
      const { exporter, queue, processor, provider } = pipeline();
      const order: string[] = [];
      const flushQueue = queue[method].bind(queue);
      queue[method] = async () => {
        order.push(`queue ${method}, ${exporter.getFinishedSpans().length} spans exported`);
        await flushQueue();
      };
      const { complete } = completingSpan(provider);
      const flushed = processor[method]();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(order).toEqual([]);
      complete();
      await flushed;
      expect(order).toEqual([`queue ${method}, 1 spans exported`]);
    });
  }

  test('a completion that never ends holds shutdown() for pendingSpanTimeoutMillis only, then the queue shuts down', async () => {
    const { processor, provider, queue } = pipeline({ pendingSpanTimeoutMillis: 50 });
    const shutdownQueue = vi.spyOn(queue, 'shutdown');
    const { completions } = completingSpan(provider);
    await processor.shutdown();
    expect(shutdownQueue).toHaveBeenCalledOnce();
    completions.clear();
  });

  test('pending completions of another copy of @llm-otel/instrumentation are awaited too', async () => {
    vi.resetModules();
    const otherCopy = await import('../../instrumentation/src/span/pending-llm-spans');
    expect(otherCopy.PendingCompletions).not.toBe(PendingCompletions);
    const completions = new otherCopy.PendingCompletions();
    let ended = false;
    const completion = new Promise<void>((resolve) => setTimeout(resolve, 30)).then(() => {
      ended = true;
    });
    completions.add(completion);
    await pipeline().processor.forceFlush();
    expect(ended).toBe(true);
    completions.delete(completion);
  });

  test('the registry holds only sets with work: an instrumentation that is done leaves nothing behind', () => {
    const registry = (globalThis as Record<symbol, Set<unknown>>)[Symbol.for('llm-otel.instrumentation.pending-llm-spans')];
    const before = registry?.size ?? 0;
    const completions = new PendingCompletions();
    const work = Promise.resolve();
    completions.add(work);
    expect((globalThis as Record<symbol, Set<unknown>>)[Symbol.for('llm-otel.instrumentation.pending-llm-spans')].size).toBe(before + 1);
    completions.delete(work);
    expect((globalThis as Record<symbol, Set<unknown>>)[Symbol.for('llm-otel.instrumentation.pending-llm-spans')].size).toBe(before);
  });
});

describe('wrong options in code throw at construction', () => {
  test('something that is not a SpanProcessor', () => {
    expect(() => new LlmSpanProcessor({} as SpanProcessor)).toThrow(/wraps a SpanProcessor/);
    expect(() => new LlmSpanProcessor(undefined as unknown as SpanProcessor)).toThrow(/wraps a SpanProcessor/);
  });

  test('a pendingSpanTimeoutMillis that is not a number is not quoted (it may be a secret passed by mistake)', () => {
    const secret = ['sk', 'proj', 'Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5'].join('-');
    const options = { pendingSpanTimeoutMillis: secret as unknown as number };
    expect(() => new LlmSpanProcessor(new SimpleSpanProcessor(new InMemorySpanExporter()), options)).toThrow('(got a string)');
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('pendingSpanTimeoutMillis %s', (value) => {
    expect(() => new LlmSpanProcessor(new SimpleSpanProcessor(new InMemorySpanExporter()), { pendingSpanTimeoutMillis: value })).toThrow(RangeError);
  });
});

test('shutdown() ends the agent and tool spans still open, so they are exported (marked incomplete)', async () => {
  // InMemorySpanExporter forgets its spans on shutdown: keep what reaches the exporter here. The
  // instrumentation is imported afresh (a test above reset the modules): another copy of the package
  // than the processor's, as with two versions installed; the open spans are shared all the same.
  const exported: ReadableSpan[] = [];
  const exporter = {
    export: (spans: ReadableSpan[], done: (result: { code: number }) => void) => (exported.push(...spans), done({ code: 0 })),
    shutdown: async () => undefined,
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new LlmSpanProcessor(new SimpleSpanProcessor(exporter), { pii: false })] });
  const { LlmInstrumentation, invokeAgent } = await import('@llm-otel/instrumentation');
  const instrumentation = new LlmInstrumentation({ hooks: { fetch: false, undici: false } });
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  try {
    // An agent run the process never sees finish.
    void invokeAgent({ name: 'unfinished' }, () => new Promise<never>(() => undefined));
    await provider.shutdown();
    expect(exported.map((span) => span.name)).toEqual(['invoke_agent unfinished']);
    expect(exported[0].attributes['llm_otel.response.incomplete']).toBe(true);
  } finally {
    instrumentation.disable();
  }
});
