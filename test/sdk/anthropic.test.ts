import { describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture, sseEvents } from '@llm-otel/provider-stand-in';
import { loadAnthropic } from '../support/sdk-versions';
import { telemetryToReceiver } from '../support/telemetry';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { anthropicErrorBody, CACHED_TOOL_USE, cachedToolUseStream } from './wire/anthropic-messages';

// @anthropic-ai/sdk 1.x against the stand-in replaying recorded Messages traffic (and a written
// stream with cache reads, cache writes and a tool call). The stand-in is registered as `anthropic`,
// the name api.anthropic.com gets.
const harness = sdkHarness((url) => [{ baseUrl: url, name: 'anthropic' }]);

async function client(path = '', maxRetries = 0) {
  const { Anthropic } = await loadAnthropic();
  return new Anthropic({ apiKey: 'test', baseURL: `${harness.standIn.url}${path}`, maxRetries });
}

const recorded = (name: string) => JSON.parse(loadFixture(name).entries[0].response.body) as Record<string, unknown> & { id: string };
const prompt = [{ role: 'user' as const, content: 'Tell me a joke about OpenTelemetry' }];

describe('messages', () => {
  test('messages.create: parameters, id, model, stop reason, usage, cost; the SDK gets the recorded message', async () => {
    for (const route of fixtureRoutes('anthropic-messages.json')) harness.standIn.script(route);
    const message = recorded('anthropic-messages.json');
    const call = async () =>
      (await client()).messages.create({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: prompt, stop_sequences: ['\n\nHuman:'] });
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result).toEqual(message);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat claude-3-opus-20240229');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-3-opus-20240229',
      'gen_ai.request.max_tokens': 1024,
      'gen_ai.request.stop_sequences': ['\n\nHuman:'],
      'gen_ai.response.id': message.id,
      'gen_ai.response.model': 'claude-3-opus-20240229',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.output_tokens': 137,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'gen_ai.usage.cache_creation.input_tokens': 0,
      'llm_otel.protocol': 'anthropic.messages',
      'llm_otel.hook': 'fetch',
      'http.response.status_code': 200,
    });
    // claude-3-opus: $15 input, $75 output per 1M tokens.
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((17 * 15 + 137 * 75) / 1e6, 12);
  });

  test('messages.stream: output tokens are the cumulative count of message_delta (158), not added to message_start (1)', async () => {
    for (const route of fixtureRoutes('anthropic-messages-stream.json')) harness.standIn.script(route);
    const call = async () => {
      const stream = (await client()).messages.stream({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: prompt });
      const texts: string[] = [];
      stream.on('text', (text) => texts.push(text));
      return { message: await stream.finalMessage(), texts };
    };
    const { result, otel } = await harness.sameWithAndWithout(call);
    expect(result.message.usage.output_tokens).toBe(158);
    const recordedEvents = sseEvents(loadFixture('anthropic-messages-stream.json').entries[0].response.body);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'msg_0178nRhNdfNKxFcZRFqApVgL',
      'gen_ai.response.model': 'claude-3-opus-20240229',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 17,
      'gen_ai.usage.output_tokens': 158,
      'llm_otel.response.event_count': recordedEvents.length,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((17 * 15 + 158 * 75) / 1e6, 12);
    expectTimeToFirstChunk(span);
  });

  test('a stream with cache reads, cache writes and a tool call: cache tokens inside input tokens, each priced at its own rate', async () => {
    harness.standIn.script({
      method: 'POST',
      path: '/cached/v1/messages',
      respond: { headers: { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011CSHq2' }, chunks: cachedToolUseStream() },
    });
    const call = async () => {
      const stream = await (await client('/cached')).messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 512,
        stream: true,
        system: [{ type: 'text', text: 'You are the support agent of an online shop.', cache_control: { type: 'ephemeral' } }],
        tools: [
          {
            name: 'get_order_status',
            description: 'Status of an order',
            input_schema: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
          },
        ],
        messages: [{ role: 'user', content: 'Where is my order A-1234?' }],
      });
      const events: unknown[] = [];
      for await (const event of stream) events.push(event);
      return events;
    };
    const { result: events, otel } = await harness.sameWithAndWithout(call);
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: CACHED_TOOL_USE.output } });

    const { input, cacheRead, cacheCreation, output } = CACHED_TOOL_USE;
    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat claude-sonnet-4-6');
    expect(span.attributes).toMatchObject({
      'gen_ai.response.id': CACHED_TOOL_USE.id,
      'gen_ai.response.model': CACHED_TOOL_USE.model,
      'gen_ai.response.finish_reasons': ['tool_use'],
      'gen_ai.usage.input_tokens': input + cacheRead + cacheCreation,
      'gen_ai.usage.cache_read.input_tokens': cacheRead,
      'gen_ai.usage.cache_creation.input_tokens': cacheCreation,
      'gen_ai.usage.output_tokens': output,
    });
    // claude-sonnet-4-6 per 1M: $3 input, $0.30 cache read, $3.75 cache write, $15 output.
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((input * 3 + cacheRead * 0.3 + cacheCreation * 3.75 + output * 15) / 1e6, 12);
    expectTimeToFirstChunk(span);
  });

  test('client.beta.messages with extended thinking, with and without ?beta=true: traced the same', async () => {
    // SDK 1.x sends beta calls to /v1/messages with an anthropic-beta header; older SDKs (the recording's
    // 0.56) added ?beta=true, which `query` reproduces.
    const recordedRespond = fixtureRoutes('anthropic-messages-thinking.json')[0].respond;
    harness.standIn.script({ method: 'POST', path: '/beta/v1/messages', respond: recordedRespond });
    const message = recorded('anthropic-messages-thinking.json');
    const body = {
      model: 'claude-opus-4-1-20250805',
      max_tokens: 2048,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      betas: ['interleaved-thinking-2025-05-14'],
      messages: [{ role: 'user' as const, content: 'What is 2+2? Think through this step by step.' }],
    };
    const call = async () => {
      const anthropic = await client('/beta');
      return [await anthropic.beta.messages.create(body), await anthropic.beta.messages.create(body, { query: { beta: true } })];
    };
    const { result: results, otel } = await harness.sameWithAndWithout(call);
    expect(results).toEqual([message, message]);
    expect(harness.standIn.requests.slice(-2).map((request) => request.path)).toEqual(['/beta/v1/messages', '/beta/v1/messages?beta=true']);
    expect(harness.standIn.requests.at(-1)!.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');

    const spans = await exactlySpans(otel, 2);
    for (const span of spans) {
      expect(span.name).toBe('chat claude-opus-4-1-20250805');
      expect(span.attributes).toMatchObject({
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.max_tokens': 2048,
        'gen_ai.response.id': message.id,
        'gen_ai.response.finish_reasons': ['end_turn'],
        'gen_ai.usage.input_tokens': 49,
        'gen_ai.usage.output_tokens': 186,
        'llm_otel.hook': 'fetch',
      });
      expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((49 * 15 + 186 * 75) / 1e6, 12);
    }
  });
});

describe('errors and retries', () => {
  const overloaded = {
    status: 529,
    headers: { 'content-type': 'application/json', 'x-should-retry': 'true', 'retry-after-ms': '1' },
    body: anthropicErrorBody('overloaded_error', 'Overloaded'),
  };

  test('HTTP 529 overloaded_error: error.type and status message from the body, no usage, no cost', async () => {
    harness.standIn.script({ method: 'POST', path: '/busy/v1/messages', respond: overloaded });
    const otel = harness.instrument();
    const anthropic = await client('/busy');
    await expect(anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: prompt })).rejects.toMatchObject({ status: 529 });

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.status).toEqual({ code: 2, message: 'Overloaded' });
    expect(span.attributes).toMatchObject({ 'error.type': 'overloaded_error', 'http.response.status_code': 529 });
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  test('a retried 529: two spans, the retry carries http.request.resend_count, usage and cost only on the attempt that returned them', async () => {
    harness.standIn.script({ method: 'POST', path: '/retry/v1/messages', respond: fixtureRoutes('anthropic-messages.json')[0].respond });
    harness.standIn.script({ method: 'POST', path: '/retry/v1/messages', times: 1, respond: overloaded });
    const otel = harness.instrument();
    const result = await (await client('/retry', 2)).messages.create({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: prompt });
    expect(result).toEqual(recorded('anthropic-messages.json'));
    expect(harness.standIn.requests.slice(-2).map((request) => request.headers['x-stainless-retry-count'])).toEqual(['0', '1']);

    const [first, second] = await exactlySpans(otel, 2);
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(first.attributes['http.response.status_code']).toBe(529);
    // The SDK cancels the body of a response it retries: its error code is never read.
    expect(first.attributes['error.type']).toBe('529');
    expect(first.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(first.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(second.attributes['http.request.resend_count']).toBe(1);
    expect(second.attributes['http.response.status_code']).toBe(200);
    expect(second.attributes['gen_ai.usage.input_tokens']).toBe(17);
    expect(second.attributes['gen_ai.usage.output_tokens']).toBe(137);
    expect(second.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
    expect(second.status.code).toBe(0);
  });
});

describe('hooks and parents', () => {
  test('a client constructed before set-up is caught by the undici hook; the app span is the parent', async () => {
    for (const route of fixtureRoutes('anthropic-messages.json')) harness.standIn.script(route);
    const early = await client();
    const otel = harness.instrument();
    const { parentId } = await inAppSpan(otel, () => early.messages.create({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: prompt }));
    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.attributes['llm_otel.hook']).toBe('undici');
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(137);
  });
});

describe('in an application set up with setupTelemetry()', () => {
  // setupTelemetry() registers its tracer provider globally. @anthropic-ai/sdk 1.x then records a call
  // span of its own (`anthropic.messages.create`, scope com.anthropic.sdk.typescript) with
  // gen_ai.operation.name and gen_ai.usage.*; our attempt span becomes its child. A backend that sums
  // gen_ai.usage over spans (or prices every GenAI span, as Langfuse does) then counts the call twice.
  test("usage and cost of a call are on one span only, not also on the SDK's own call span", async () => {
    for (const route of fixtureRoutes('anthropic-messages.json')) harness.standIn.script(route);
    const app = await telemetryToReceiver({ providers: [{ baseUrl: harness.standIn.url, name: 'anthropic' }], pii: false });
    try {
      const anthropic = await client();
      await anthropic.messages.create({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: prompt });
      await app.telemetry.forceFlush();
      const isOurs = (span: { scope: { name: string } }) => span.scope.name === '@llm-otel/instrumentation';
      await app.receiver.waitFor((spans) => spans.some(isOurs));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await app.telemetry.forceFlush();
      const ours = app.receiver.spans.filter(isOurs);
      expect(ours).toHaveLength(1);
      expect(ours[0].attributes['gen_ai.usage.input_tokens']).toBe(17);
      const counted = app.receiver.spans.filter((span) => span.attributes['gen_ai.usage.input_tokens'] !== undefined);
      expect(counted.map((span) => `${span.scope.name}: ${span.name}`)).toEqual(['@llm-otel/instrumentation: chat claude-3-opus-20240229']);
    } finally {
      await app.close();
    }
  });
});
