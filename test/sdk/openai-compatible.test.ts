import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture, sseEvents, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { ProviderEndpoint } from '@llm-otel/instrumentation';
import { loadOpenAI } from '../support/sdk-versions';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { exactlySpans, expectTimeToFirstChunk, onlyLlmSpan } from './support/spans';
import { VLLM_ANSWER, vllmChatCompletion, vllmChatStream } from './wire/vllm';

// OpenAI-compatible servers through the openai SDK (7 on Node 22+, 6 on Node 20): Together's
// recorded stream (provider `together_ai`, what api.together.xyz gets) and a vLLM server at a base
// URL the application registers as `vllm`.
let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest | undefined;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script({
    method: 'POST',
    path: '/vllm/v1/chat/completions',
    respond: (request) => {
      const body = JSON.parse(request.body) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      if (body.stream) return { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: vllmChatStream(body.stream_options?.include_usage === true) };
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(vllmChatCompletion()) };
    },
  });
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

function instrument(providers: ProviderEndpoint[]): InstrumentedUnderTest {
  otel = instrumentInMemory({ providers });
  return otel;
}

async function client(path: string) {
  const { OpenAI } = await loadOpenAI();
  return new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}${path}`, maxRetries: 0 });
}

describe('Together (recorded)', () => {
  test('usage on the last chunk that still has choices, finish reason eos, provider together_ai', async () => {
    for (const route of fixtureRoutes('together-chat-stream.json')) standIn.script(route);
    const fixture = loadFixture('together-chat-stream.json');
    const request = JSON.parse(fixture.entries[0].request.body) as { model: string; messages: { role: 'user'; content: string }[] };
    const call = async () => {
      const stream = await (await client('/v1')).chat.completions.create({ model: request.model, messages: request.messages, stream: true });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const uninstrumented = await call();
    instrument([{ baseUrl: `${standIn.url}/v1`, name: 'together_ai' }]);
    const chunks = await call();
    expect(chunks).toEqual(uninstrumented);
    const recordedEvents = sseEvents(fixture.entries[0].response.body);
    expect(chunks).toHaveLength(recordedEvents.length - 1); // all but [DONE]

    const span = onlyLlmSpan(await exactlySpans(otel!, 1));
    expect(span.name).toBe('chat Qwen/Qwen2.5-72B-Instruct-Turbo');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'together_ai',
      'gen_ai.request.model': 'Qwen/Qwen2.5-72B-Instruct-Turbo',
      'gen_ai.request.stream': true,
      'gen_ai.response.id': '914b8585daa915a0',
      'gen_ai.response.model': 'Qwen/Qwen2.5-72B-Instruct-Turbo',
      'gen_ai.response.finish_reasons': ['eos'],
      'gen_ai.usage.input_tokens': 37,
      'gen_ai.usage.output_tokens': 53,
      'llm_otel.response.event_count': recordedEvents.length,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
    expectTimeToFirstChunk(span);
  });
});

describe('vLLM at a registered base URL', () => {
  const register = () => instrument([{ baseUrl: `${standIn.url}/vllm/v1`, name: 'vllm' }]);
  const messages = [{ role: 'user' as const, content: 'Where is my order A-1234?' }];

  test('chat.completions.create: provider vllm, parameters, the served model, usage; no price for a self-hosted model', async () => {
    const call = async () => (await client('/vllm/v1')).chat.completions.create({ model: VLLM_ANSWER.model, messages, temperature: 0.6, top_p: 0.95, max_tokens: 256, seed: 11 });
    const uninstrumented = await call();
    register();
    const completion = await call();
    expect(completion).toEqual(uninstrumented);
    expect(completion).toEqual(vllmChatCompletion());

    const span = onlyLlmSpan(await exactlySpans(otel!, 1));
    expect(span.name).toBe(`chat ${VLLM_ANSWER.model}`);
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'vllm',
      'gen_ai.request.model': VLLM_ANSWER.model,
      'gen_ai.request.temperature': 0.6,
      'gen_ai.request.top_p': 0.95,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.seed': 11,
      'gen_ai.response.id': VLLM_ANSWER.id,
      'gen_ai.response.model': VLLM_ANSWER.model,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': VLLM_ANSWER.promptTokens,
      'gen_ai.usage.output_tokens': VLLM_ANSWER.completionTokens,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  test('a stream with include_usage; the app span is the parent', async () => {
    register();
    const tracer = otel!.provider.getTracer('support-agent');
    const { parentId, text } = await tracer.startActiveSpan('agent.turn', async (parent) => {
      const stream = await (await client('/vllm/v1')).chat.completions.create({ model: VLLM_ANSWER.model, messages, stream: true, stream_options: { include_usage: true } });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      parent.end();
      return { parentId: parent.spanContext().spanId, text };
    });
    expect(text).toBe(VLLM_ANSWER.content);

    const span = onlyLlmSpan(await exactlySpans(otel!, 2));
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'vllm',
      'gen_ai.request.stream': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': VLLM_ANSWER.promptTokens,
      'gen_ai.usage.output_tokens': VLLM_ANSWER.completionTokens,
    });
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
    expectTimeToFirstChunk(span);
  });
});
