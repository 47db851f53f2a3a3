import { describe, expect, test } from 'vitest';
import { embeddingsRoute, fixtureRoutes, loadFixture } from '@llm-otel/provider-stand-in';
import { loadOpenAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { responsesRoute, responsesStreamEvents } from './wire/openai-responses';

// The openai SDK (7 on Node 22+, 6 on Node 20) against the stand-in: Responses (recorded), embeddings
// and legacy completions (written to the documented wire format). Each test runs the call once
// without instrumentation and once with it: the SDK's result must be the same.
const harness = sdkHarness((url) => [{ baseUrl: url, name: 'openai' }]);

async function client() {
  const { OpenAI } = await loadOpenAI();
  return new OpenAI({ apiKey: 'test', baseURL: `${harness.standIn.url}/v1`, maxRetries: 0 });
}

const recordedResponse = (name: string) =>
  JSON.parse(loadFixture(name).entries[0].response.body) as Record<string, unknown> & {
    id: string;
    model: string;
    usage: {
      input_tokens: number;
      output_tokens: number;
      input_tokens_details: { cached_tokens: number };
      output_tokens_details: { reasoning_tokens: number };
    };
  };

describe('Responses API', () => {
  test('responses.create: request parameters, id, model, status as finish reason, usage and cost; the SDK gets the recorded response', async () => {
    for (const route of fixtureRoutes('openai-responses.json')) harness.standIn.script(route);
    const recorded = recordedResponse('openai-responses.json');
    const call = async () =>
      (await client()).responses.create({
        model: 'gpt-4o-mini',
        input: 'Tell me a joke about OpenTelemetry',
        temperature: 0.7,
        top_p: 0.9,
        max_output_tokens: 200,
      });
    const { result: response, otel } = await harness.sameWithAndWithout(call);
    expect(response).toMatchObject(recorded);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.7,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.response.id': recorded.id,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 26,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.reasoning.output_tokens': 0,
      'llm_otel.protocol': 'openai.responses',
      'llm_otel.hook': 'fetch',
      'http.response.status_code': 200,
    });
    // gpt-4o-mini: $0.15 input, $0.60 output per 1M tokens.
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((14 * 0.15 + 26 * 0.6) / 1e6, 12);
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeUndefined();
  });

  test('cached input tokens are inside input tokens and priced at the cached rate', async () => {
    for (const route of fixtureRoutes('openai-responses-cached-tokens.json')) harness.standIn.script(route);
    const recorded = recordedResponse('openai-responses-cached-tokens.json');
    const otel = harness.instrument();
    const response = await (await client()).responses.create({ model: 'gpt-4o-mini', input: 'Tell me a joke about OpenTelemetry' });
    expect(response.usage).toEqual(recorded.usage);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.cache_read.input_tokens': 13,
      'gen_ai.usage.output_tokens': 26,
    });
    // One uncached input token at $0.15, 13 cached at $0.075, 26 output at $0.60 per 1M.
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((1 * 0.15 + 13 * 0.075 + 26 * 0.6) / 1e6, 12);
  });

  test('responses.create with stream: true: every event reaches the SDK, usage from response.completed, time to first chunk', async () => {
    const final = recordedResponse('openai-responses.json');
    harness.standIn.script(responsesRoute('/v1/responses', final));
    const call = async () => {
      const stream = await (await client()).responses.create({ model: 'gpt-4o-mini', input: 'Tell me a joke about OpenTelemetry', stream: true });
      const events: unknown[] = [];
      for await (const event of stream) events.push(event);
      return events;
    };
    const { result: events, otel } = await harness.sameWithAndWithout(call);
    expect(events).toHaveLength(responsesStreamEvents(final).length);
    expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { id: final.id, usage: final.usage } });

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.id': final.id,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 26,
      'llm_otel.response.event_count': events.length,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
    expectTimeToFirstChunk(span);
  });

  test('the responses.stream() helper: one span, the same final response as without instrumentation', async () => {
    const final = recordedResponse('openai-responses.json');
    harness.standIn.script(responsesRoute('/v1/responses', final));
    const call = async () => {
      const stream = (await client()).responses.stream({ model: 'gpt-4o-mini', input: 'Tell me a joke about OpenTelemetry', instructions: 'Be brief.' });
      const deltas: string[] = [];
      stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
      return { final: await stream.finalResponse(), deltas };
    };
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result.deltas.join('')).toBe(result.final.output_text);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.request.stream': true, 'gen_ai.usage.input_tokens': 14, 'gen_ai.usage.output_tokens': 26 });
    expectTimeToFirstChunk(span);
  });
});

describe('embeddings', () => {
  test('encoding_format float with dimensions: embeddings {model}, dimension count, input tokens, cost', async () => {
    harness.standIn.script(embeddingsRoute('/v1/embeddings'));
    const call = async () =>
      (await client()).embeddings.create({
        model: 'text-embedding-3-small',
        input: ['Where is my order?', 'Refund policy'],
        encoding_format: 'float',
        dimensions: 256,
      });
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result.data[0].embedding).toHaveLength(256);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('embeddings text-embedding-3-small');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.request.encoding_formats': ['float'],
      'gen_ai.embeddings.dimension.count': 256,
      'gen_ai.response.model': 'text-embedding-3-small',
      'gen_ai.usage.input_tokens': result.usage.prompt_tokens,
      'llm_otel.protocol': 'openai.embeddings',
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((result.usage.prompt_tokens * 0.02) / 1e6, 15);
  });

  test('the SDK default (base64 on the wire, floats for the caller): the dimension count comes from the base64 vector', async () => {
    harness.standIn.script(embeddingsRoute('/v1/embeddings'));
    const call = async () => (await client()).embeddings.create({ model: 'text-embedding-3-small', input: 'Where is my order?' });
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result.data[0].embedding).toHaveLength(1536);
    const sent = JSON.parse(harness.standIn.requests.at(-1)!.body) as { encoding_format?: string };
    expect(sent.encoding_format).toBe('base64');

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({
      'gen_ai.request.encoding_formats': ['base64'],
      'gen_ai.embeddings.dimension.count': 1536,
      'gen_ai.usage.input_tokens': result.usage.prompt_tokens,
    });
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
  });
});

describe('legacy completions', () => {
  // A /v1/completions response as the API documents it: `text_completion` object, `text` per choice.
  const completion = {
    id: 'cmpl-AxPq7TmF3c8ZkV2bLwN9sYd4hE1uR',
    object: 'text_completion',
    created: 1760012345,
    model: 'gpt-3.5-turbo-instruct:20230824-v2',
    choices: [{ text: '\n\nOpenTelemetry is a vendor-neutral framework for traces,', index: 0, logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 7, completion_tokens: 16, total_tokens: 23 },
  };

  test('completions.create: text_completion, parameters, finish reason, usage', async () => {
    harness.standIn.script({
      method: 'POST',
      path: '/v1/completions',
      respond: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(completion, null, 2) },
    });
    const call = async () =>
      (await client()).completions.create({
        model: 'gpt-3.5-turbo-instruct',
        prompt: 'Say what OpenTelemetry is.',
        max_tokens: 16,
        temperature: 0,
        stop: ['\n\n\n'],
      });
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result).toEqual(completion);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('text_completion gpt-3.5-turbo-instruct');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.max_tokens': 16,
      'gen_ai.request.temperature': 0,
      'gen_ai.request.stop_sequences': ['\n\n\n'],
      'gen_ai.response.id': completion.id,
      'gen_ai.response.model': completion.model,
      'gen_ai.response.finish_reasons': ['length'],
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 16,
      'llm_otel.protocol': 'openai.completions',
    });
  });

  test('completions.create with stream and include_usage: usage from the last chunk, time to first chunk', async () => {
    const chunk = (text: string, finish: string | null) => ({
      ...completion,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finish }],
      usage: null,
    });
    const events = [
      chunk('\n\nOpenTelemetry', null),
      chunk(' is a framework', null),
      chunk('.', 'stop'),
      { ...completion, choices: [], usage: { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 } },
    ]
      .map((data) => `data: ${JSON.stringify(data)}\n\n`)
      .concat('data: [DONE]\n\n');
    harness.standIn.script({ method: 'POST', path: '/v1/completions', respond: { headers: { 'content-type': 'text/event-stream' }, chunks: events } });
    const otel = harness.instrument();
    const stream = await (await client()).completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say what OpenTelemetry is.',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.text ?? '';
    expect(text).toBe('\n\nOpenTelemetry is a framework.');

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 5,
      'llm_otel.response.event_count': 5,
    });
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
    expectTimeToFirstChunk(span);
  });
});

describe('hooks and parents', () => {
  test('a client constructed before set-up is caught by the undici hook; the app span is the parent', async () => {
    for (const route of fixtureRoutes('openai-responses.json')) harness.standIn.script(route);
    const early = await client();
    const otel = harness.instrument();
    const { parentId } = await inAppSpan(otel, () => early.responses.create({ model: 'gpt-4o-mini', input: 'Tell me a joke about OpenTelemetry' }));
    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.attributes['llm_otel.hook']).toBe('undici');
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(26);
  });
});
