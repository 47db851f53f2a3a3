import { beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture, sseEvents } from '@llm-otel/provider-stand-in';
import { loadOpenAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { VLLM_ANSWER, vllmChatCompletion, vllmChatStream } from './wire/vllm';

// OpenAI-compatible servers through the openai SDK (7 on Node 22+, 6 on Node 20): Together's
// recorded stream (provider `together_ai`, what api.together.xyz gets) and a vLLM server at a base
// URL the application registers as `vllm`; each test registers its own.
const harness = sdkHarness(() => []);

beforeAll(() => {
  harness.standIn.script({
    method: 'POST',
    path: '/vllm/v1/chat/completions',
    respond: (request) => {
      const body = JSON.parse(request.body) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      if (body.stream)
        return { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, chunks: vllmChatStream(body.stream_options?.include_usage === true) };
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(vllmChatCompletion()) };
    },
  });
});

async function client(path: string) {
  const { OpenAI } = await loadOpenAI();
  return new OpenAI({ apiKey: 'test', baseURL: `${harness.standIn.url}${path}`, maxRetries: 0 });
}

describe('Together (recorded)', () => {
  test('usage on the last chunk that still has choices, finish reason eos, provider together_ai', async () => {
    for (const route of fixtureRoutes('together-chat-stream.json')) harness.standIn.script(route);
    const fixture = loadFixture('together-chat-stream.json');
    const request = JSON.parse(fixture.entries[0].request.body) as { model: string; messages: { role: 'user'; content: string }[] };
    const call = async () => {
      const stream = await (await client('/v1')).chat.completions.create({ model: request.model, messages: request.messages, stream: true });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const { result: chunks, otel } = await harness.sameWithAndWithout(call, [{ baseUrl: `${harness.standIn.url}/v1`, name: 'together_ai' }]);
    const recordedEvents = sseEvents(fixture.entries[0].response.body);
    expect(chunks).toHaveLength(recordedEvents.length - 1); // all but [DONE]

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
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
  const vllm = () => [{ baseUrl: `${harness.standIn.url}/vllm/v1`, name: 'vllm' }];
  const messages = [{ role: 'user' as const, content: 'Where is my order A-1234?' }];

  test('chat.completions.create: provider vllm, parameters, the served model, usage; no price for a self-hosted model', async () => {
    const call = async () =>
      (await client('/vllm/v1')).chat.completions.create({ model: VLLM_ANSWER.model, messages, temperature: 0.6, top_p: 0.95, max_tokens: 256, seed: 11 });
    const { result: completion, otel } = await harness.sameWithAndWithout(call, vllm());
    expect(completion).toEqual(vllmChatCompletion());

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
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
    const otel = harness.instrument(vllm());
    const { result: text, parentId } = await inAppSpan(otel, async () => {
      const stream = await (await client('/vllm/v1')).chat.completions.create({
        model: VLLM_ANSWER.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    });
    expect(text).toBe(VLLM_ANSWER.content);

    const span = onlyLlmSpan(await exactlySpans(otel, 2));
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
