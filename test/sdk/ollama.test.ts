import { beforeAll, describe, expect, test } from 'vitest';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { OLLAMA_ANSWER, ollamaStream, ollamaWhole } from './wire/ollama';

// Ollama's native API called with plain fetch, as apps and the `ollama` package do. Nothing is
// registered: Ollama runs on any host and port, so a body with Ollama's shape on /api/chat or
// /api/generate is traced as provider `ollama`.
const harness = sdkHarness(() => []);

beforeAll(() => {
  for (const kind of ['chat', 'generate'] as const) {
    harness.standIn.script({
      method: 'POST',
      path: `/api/${kind}`,
      respond: (request) =>
        (JSON.parse(request.body) as { stream?: boolean }).stream === false
          ? { headers: { 'content-type': 'application/json; charset=utf-8' }, body: ollamaWhole(kind) }
          : { headers: { 'content-type': 'application/x-ndjson' }, chunks: ollamaStream(kind) },
    });
  }
});

async function post(path: string, body: unknown): Promise<string> {
  const response = await fetch(`${harness.standIn.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.text();
}

const chat = {
  model: 'llama3.2',
  messages: [
    { role: 'system', content: 'You are the support agent of an online shop.' },
    { role: 'user', content: 'Where is my order A-1234?' },
  ],
  options: { temperature: 0.3, top_p: 0.9, top_k: 40, seed: 42, num_predict: 128, stop: ['<|eot_id|>'] },
};
const { promptEvalCount, evalCount } = OLLAMA_ANSWER;

describe('Ollama native API', () => {
  test('/api/chat streamed (NDJSON, the default): options as request parameters, counts of the done line, time to first chunk', async () => {
    const { result: body, otel } = await harness.sameWithAndWithout(() => post('/api/chat', chat));
    expect(body).toBe(ollamaStream('chat').join(''));

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat llama3.2');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'ollama',
      'gen_ai.request.model': 'llama3.2',
      'gen_ai.request.temperature': 0.3,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.seed': 42,
      'gen_ai.request.max_tokens': 128,
      'gen_ai.request.stop_sequences': ['<|eot_id|>'],
      'gen_ai.request.stream': true,
      'gen_ai.response.model': 'llama3.2',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': promptEvalCount,
      'gen_ai.usage.output_tokens': evalCount,
      'llm_otel.protocol': 'ollama',
      'llm_otel.response.event_count': OLLAMA_ANSWER.pieces.length + 1,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    expectTimeToFirstChunk(span);
  });

  test('/api/chat with "stream": false: one JSON body, same counts, no time to first chunk', async () => {
    const otel = harness.instrument();
    const body = await post('/api/chat', { ...chat, stream: false });
    expect(JSON.parse(body)).toMatchObject({ done: true, message: { content: OLLAMA_ANSWER.pieces.join('') } });

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': promptEvalCount, 'gen_ai.usage.output_tokens': evalCount });
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });

  test('/api/generate streamed: text_completion; the app span is the parent', async () => {
    const otel = harness.instrument();
    const { parentId } = await inAppSpan(otel, () =>
      post('/api/generate', { model: 'llama3.2', prompt: 'Where is my order A-1234?', system: 'Answer in one sentence.' }),
    );

    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.name).toBe('text_completion llama3.2');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.provider.name': 'ollama',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': promptEvalCount,
      'gen_ai.usage.output_tokens': evalCount,
    });
    expectTimeToFirstChunk(span);
  });

  test('a POST to /api/chat of a web app (no Ollama body) is not traced', async () => {
    harness.standIn.script({ method: 'POST', path: '/app/api/chat', respond: { headers: { 'content-type': 'application/json' }, body: '{"reply":"hi"}' } });
    const otel = harness.instrument();
    expect(await post('/app/api/chat', { text: 'hello' })).toBe('{"reply":"hi"}');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(0);
  });
});
