import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { loadFixture, sseEvents, realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { Writable } from 'node:stream';
import * as undici from 'undici';
import { createRequire } from 'node:module';
import { loadOpenAI } from './support/sdk-versions';
import { instrumentInMemory, type InstrumentedUnderTest } from './support/in-memory';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LlmInstrumentation } from '@llm-otel/instrumentation';

// Which hook catches which way of calling, and that every HTTP attempt is recorded exactly once.
// undici versions: Node's own fetch runs on its bundled undici (6 on Node 20/22, 7 on Node 24); npm
// undici 7 is imported here; npm undici 8 has its own file (hooks-undici8.test.ts).
const nodeFetch = globalThis.fetch; // as an SDK captures it, before set-up
let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest;
const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }], ...extra });

beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  await otel?.close();
});

describe('one span per call, whichever hook sees it', () => {
  test('without any context manager registered, a fetch the fetch hook records is not recorded again underneath', async () => {
    // The fetch hook marks its calls in the OpenTelemetry context; with no context manager that mark
    // cannot travel to the dispatcher, and a storage of its own must carry it instead.
    context.disable();
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    instrumentation.setTracerProvider(provider);
    try {
      const response = await globalThis.fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: chatBody() });
      expect((await response.json()).choices).toBeDefined();
      await instrumentation.flush();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(exporter.getFinishedSpans().map((span) => span.attributes['llm_otel.hook'])).toEqual(['fetch']);
    } finally {
      instrumentation.disable();
      trace.disable();
      await provider.shutdown();
    }
  });

  test('an openai client constructed before the instrumentation is caught by the undici hook', async () => {
    const { OpenAI } = await loadOpenAI();
    const early = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    const late = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    await early.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await late.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const spans = await otel.spans(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(2);
    expect(spans.map((span) => span.attributes['llm_otel.hook'])).toEqual(['undici', 'fetch']);
    for (const span of spans) {
      expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    }
  });

  test(`Node's own fetch captured before set-up (bundled undici ${process.versions.undici}) is caught by the undici hook`, async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    const response = await nodeFetch(`${standIn.url}/v1/chat/completions`, {
      method: 'POST',
      body: chatBody({ stream: true, stream_options: { include_usage: true } }),
    });
    expect(await response.text()).toContain('[DONE]');
    const [span] = await otel.spans(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(1);
    expect(span.attributes['llm_otel.hook']).toBe('undici');
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
  });

  test(`plain fetch, and npm undici ${undiciVersion()}'s request, fetch and stream are each recorded once`, async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    const url = `${standIn.url}/v1/chat/completions`;
    const headers = { 'content-type': 'application/json' };
    const viaFetch = await fetch(url, { method: 'POST', headers, body: chatBody() });
    expect((await viaFetch.json()).object).toBe('chat.completion');
    const viaRequest = await undici.request(url, { method: 'POST', headers, body: chatBody() });
    expect(((await viaRequest.body.json()) as { object: string }).object).toBe('chat.completion');
    const viaUndiciFetch = await undici.fetch(url, { method: 'POST', headers, body: chatBody() });
    expect(((await viaUndiciFetch.json()) as { object: string }).object).toBe('chat.completion');
    const streamed: Buffer[] = [];
    await undici.stream(
      url,
      { method: 'POST', headers, body: chatBody() },
      () =>
        new Writable({
          write(chunk: Buffer, _encoding: string, done: () => void) {
            streamed.push(chunk);
            done();
          },
        }),
    );
    expect(JSON.parse(Buffer.concat(streamed).toString()).object).toBe('chat.completion');

    const spans = await otel.spans(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(4);
    expect(spans.map((span) => span.attributes['llm_otel.hook'])).toEqual(['fetch', 'undici', 'undici', 'undici']);
    expect(spans.every((span) => span.attributes['gen_ai.usage.output_tokens'] !== undefined)).toBe(true);
  });

  test('a gzip-compressed response seen at the dispatcher is decompressed for parsing only', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    const fixture = loadFixture('openai-chat-stream-include-usage.json');
    const events = sseEvents(fixture.entries[0].response.body);
    standIn.script({ path: '/gz/v1/chat/completions', times: 1, respond: { headers: { 'content-type': 'text/event-stream' }, chunks: events, gzip: true } });
    const response = await undici.request(`${standIn.url}/gz/v1/chat/completions`, { method: 'POST', body: fixture.entries[0].request.body });
    expect(response.headers['content-encoding']).toBe('gzip');
    await response.body.arrayBuffer();
    const [span] = await otel.spans(1);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(span.attributes['llm_otel.parse_error']).toBeUndefined();
  });

  test('an unknown host is traced when path and body say OpenAI chat; other POSTs are not', async () => {
    otel = instrumentInMemory();
    const url = `${standIn.url}/v1/chat/completions`;
    await (await fetch(url, { method: 'POST', body: chatBody() })).json();
    standIn.script({ path: '/v1/not-llm/chat/completions', respond: { body: '{}' } });
    await (await fetch(`${standIn.url}/v1/not-llm/chat/completions`, { method: 'POST', body: '{"hello":"world"}' })).text();
    await (await fetch(`${standIn.url}/v1/chat/completions`, { method: 'GET' })).text();
    const [span] = await otel.spans(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(1);
    expect(span.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'llm_otel.provider.compatible': true });
  });

  test('spans join the application trace: the active span is the parent', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    const tracer = otel.provider.getTracer('app');
    const parentId = await tracer.startActiveSpan('agent.run', async (parent) => {
      await (await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: chatBody() })).json();
      parent.end();
      return parent.spanContext().spanId;
    });
    const spans = await otel.spans(2);
    const llm = spans.find((span) => span.attributes['gen_ai.operation.name'])!;
    expect(llm.parentSpanContext?.spanId).toBe(parentId);
  });

  test('disable() removes both hooks; enable() puts them back', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
    otel.instrumentation.disable();
    await (await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: chatBody() })).json();
    await (await undici.request(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: chatBody() })).body.json();
    otel.instrumentation.enable();
    await (await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: chatBody() })).json();
    await otel.spans(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(1);
  });
});

function undiciVersion(): string {
  return (createRequire(import.meta.url)('undici/package.json') as { version: string }).version;
}
