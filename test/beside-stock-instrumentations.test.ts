import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { standInForFile } from './support/recorded-calls';
import { LlmInstrumentation, type LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import { loadOpenAI } from './support/sdk-versions';
import { telemetryToReceiver } from './support/telemetry';

// llm-otel next to the stock HTTP instrumentations, as NodeSDK with auto-instrumentations-node runs
// them: one LLM call is one LLM span (the stock spans carry no usage), the stock undici span is the
// transport under it, and exactly one `traceparent` reaches the LLM endpoint, so that a gateway
// (LiteLLM, any OpenTelemetry-instrumented proxy) joins the trace. Without the stock undici
// instrumentation, llm-otel propagates the context itself through the registered propagator.

let running: { provider: NodeTracerProvider; exporter: InMemorySpanExporter; instrumentations: { disable(): void }[] } | undefined;

const standIn = standInForFile();
beforeAll(() => {
  standIn().script(realisticChatRoute());
});
afterEach(async () => {
  for (const instrumentation of running?.instrumentations ?? []) instrumentation.disable();
  await running?.provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
  running = undefined;
});

/** NodeSDK's registration: ALS context manager, W3C trace-context + baggage propagator, global provider. */
function start(options: { stock: boolean; config?: LlmInstrumentationConfig }): { llm: LlmInstrumentation } {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  const instrumentations: { disable(): void }[] = options.stock ? [new UndiciInstrumentation(), new HttpInstrumentation()] : [];
  const llm = new LlmInstrumentation({ providers: [{ baseUrl: standIn().url, name: 'openai' }], ...options.config });
  instrumentations.push(llm);
  running = { provider, exporter, instrumentations };
  return { llm };
}

async function spansOf(llm: LlmInstrumentation, count: number): Promise<ReadableSpan[]> {
  await llm.flush();
  const deadline = Date.now() + 5000;
  while (running!.exporter.getFinishedSpans().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return running!.exporter.getFinishedSpans();
}

/** One chat completion inside an application span; returns the application span's id and trace. */
async function callUnderAppSpan(
  client: { chat: { completions: { create(body: object, options?: object): Promise<unknown> } } },
  headers?: Record<string, string>,
) {
  const before = standIn().requests.length;
  const app = await trace.getTracer('app').startActiveSpan('agent.run', async (span) => {
    await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] },
      headers ? { headers } : undefined,
    );
    span.end();
    return span.spanContext();
  });
  const received = standIn().requests.slice(before);
  expect(received).toHaveLength(1);
  return { app, traceparent: received[0].headers['traceparent'] };
}

function classify(spans: ReadableSpan[]) {
  const llmSpans = spans.filter((span) => span.attributes['gen_ai.operation.name'] !== undefined);
  const withUsage = spans.filter((span) => Object.keys(span.attributes).some((key) => key.startsWith('gen_ai.usage.')));
  const httpClient = spans.filter((span) => span.kind === SpanKind.CLIENT && span.attributes['http.request.method'] !== undefined);
  return { llmSpans, withUsage, httpClient };
}

const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;

describe('with @opentelemetry/instrumentation-undici and -http registered too', () => {
  test('a client made after set-up (fetch hook): one LLM span with the usage, the stock HTTP span under it, one traceparent (the HTTP span’s)', async () => {
    const { llm } = start({ stock: true });
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const { app, traceparent } = await callUnderAppSpan(client);
    const spans = await spansOf(llm, 3);
    const { llmSpans, withUsage, httpClient } = classify(spans);
    expect(llmSpans).toHaveLength(1);
    expect(withUsage).toEqual(llmSpans);
    expect(httpClient).toHaveLength(1);
    const [llmSpan] = llmSpans;
    expect(llmSpan.parentSpanContext?.spanId).toBe(app.spanId);
    expect(httpClient[0].parentSpanContext?.spanId).toBe(llmSpan.spanContext().spanId);
    for (const span of spans) expect(span.spanContext().traceId).toBe(app.traceId);
    expect(traceparent).toBe(traceparentOf(app.traceId, httpClient[0].spanContext().spanId));
  });

  test('a client made before set-up (undici hook): one LLM span with the usage, beside the stock HTTP span, one traceparent (the HTTP span’s)', async () => {
    const { OpenAI } = await loadOpenAI();
    const early = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const { llm } = start({ stock: true });
    const { app, traceparent } = await callUnderAppSpan(early);
    const spans = await spansOf(llm, 3);
    const { llmSpans, withUsage, httpClient } = classify(spans);
    expect(llmSpans).toHaveLength(1);
    expect(llmSpans[0].attributes['llm_otel.hook']).toBe('undici');
    expect(withUsage).toEqual(llmSpans);
    expect(httpClient).toHaveLength(1);
    // The dispatcher hook starts the LLM span when the response arrives, after undici created the
    // request (and the stock span): both are children of the application span.
    expect(llmSpans[0].parentSpanContext?.spanId).toBe(app.spanId);
    expect(httpClient[0].parentSpanContext?.spanId).toBe(app.spanId);
    expect(traceparent).toBe(traceparentOf(app.traceId, httpClient[0].spanContext().spanId));
  });
});

describe('llm-otel alone propagates the trace context', () => {
  test('a client made after set-up: the LLM endpoint receives the LLM span’s traceparent', async () => {
    const { llm } = start({ stock: false });
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const { app, traceparent } = await callUnderAppSpan(client);
    const [llmSpan] = classify(await spansOf(llm, 2)).llmSpans;
    expect(llmSpan.parentSpanContext?.spanId).toBe(app.spanId);
    expect(traceparent).toBe(traceparentOf(app.traceId, llmSpan.spanContext().spanId));
  });

  test('a client made before set-up: the endpoint receives the application span’s traceparent (the LLM span starts later)', async () => {
    const { OpenAI } = await loadOpenAI();
    const early = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const { llm } = start({ stock: false });
    const { app, traceparent } = await callUnderAppSpan(early);
    const [llmSpan] = classify(await spansOf(llm, 2)).llmSpans;
    expect(llmSpan.attributes['llm_otel.hook']).toBe('undici');
    expect(traceparent).toBe(traceparentOf(app.traceId, app.spanId));
  });

  test('a traceparent the caller set is sent as it is, once', async () => {
    const { llm } = start({ stock: false });
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { traceparent } = await callUnderAppSpan(client, { traceparent: own });
    await spansOf(llm, 2);
    expect(traceparent).toBe(own);
  });

  test('propagateTraceContext: false sends no traceparent, whichever hook sees the call', async () => {
    const { OpenAI } = await loadOpenAI();
    const early = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    const { llm } = start({ stock: false, config: { propagateTraceContext: false } });
    const late = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
    expect((await callUnderAppSpan(early)).traceparent).toBeUndefined();
    expect((await callUnderAppSpan(late)).traceparent).toBeUndefined();
    const { llmSpans } = classify(await spansOf(llm, 4));
    expect(llmSpans.map((span) => span.attributes['llm_otel.hook']).sort()).toEqual(['fetch', 'undici']);
  });
});

describe('through setupTelemetry() (which registers the W3C propagator)', () => {
  async function oneCall(options: Parameters<typeof telemetryToReceiver>[0]) {
    const under = await telemetryToReceiver({ providers: [{ baseUrl: standIn().url, name: 'openai' }], ...options });
    try {
      const { OpenAI } = await loadOpenAI();
      const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1`, maxRetries: 0 });
      const before = standIn().requests.length;
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
      const [span] = await under.flushedLlmSpans(1);
      return { span, traceparent: standIn().requests[before].headers['traceparent'] };
    } finally {
      await under.close();
    }
  }

  test('the LLM endpoint receives the exported LLM span’s traceparent', async () => {
    const { span, traceparent } = await oneCall({});
    expect(traceparent).toBe(traceparentOf(span.traceId, span.spanId));
  });

  test('instrumentation: { propagateTraceContext: false } is passed through: no traceparent', async () => {
    const { traceparent } = await oneCall({ instrumentation: { propagateTraceContext: false } });
    expect(traceparent).toBeUndefined();
  });
});
