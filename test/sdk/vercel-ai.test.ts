import { beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture, realisticChatRoute, type RecordedRequest, type ScriptedResponse } from '@llm-otel/provider-stand-in';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadVercelAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { responsesRoute } from './wire/openai-responses';

// The Vercel AI SDK (ai 7 + @ai-sdk/* 4 on Node 22+, ai 6 + @ai-sdk/* 3 on Node 20): generateText and
// streamText through @ai-sdk/openai (chat completions with `openai.chat(model)`, the Responses API
// with `openai(model)`) and @ai-sdk/anthropic, each pointed at the stand-in with baseURL.
const harness = sdkHarness((url) => [
  { baseUrl: `${url}/openai/v1`, name: 'openai' },
  { baseUrl: `${url}/anthropic/v1`, name: 'anthropic' },
]);

const recordedResponses = JSON.parse(loadFixture('openai-responses.json').entries[0].response.body) as { id: string };
const recordedMessage = JSON.parse(loadFixture('anthropic-messages.json').entries[0].response.body) as { id: string };

beforeAll(() => {
  // Keep the SDK's console warnings (e.g. about unsupported settings) out of the test output.
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  harness.standIn.script(realisticChatRoute({ path: '/openai/v1/chat/completions' }));
  harness.standIn.script(responsesRoute('/openai/v1/responses', recordedResponses));
  // fixtureRoutes answer through functions (they replay entries in order).
  const whole = fixtureRoutes('anthropic-messages.json')[0].respond as (request: RecordedRequest) => ScriptedResponse;
  const streamed = fixtureRoutes('anthropic-messages-stream.json')[0].respond as (request: RecordedRequest) => ScriptedResponse;
  harness.standIn.script({
    method: 'POST',
    path: '/anthropic/v1/messages',
    respond: (request: RecordedRequest) => ((JSON.parse(request.body) as { stream?: boolean }).stream ? streamed : whole)(request),
  });
});

type Provider = 'chat' | 'responses' | 'anthropic';

async function model(provider: Provider) {
  const { createOpenAI, createAnthropic } = await loadVercelAI();
  if (provider === 'anthropic') return createAnthropic({ apiKey: 'test', baseURL: `${harness.standIn.url}/anthropic/v1` })('claude-3-opus-20240229');
  const openai = createOpenAI({ apiKey: 'test', baseURL: `${harness.standIn.url}/openai/v1` });
  return provider === 'chat' ? openai.chat('gpt-4o-mini') : openai('gpt-4o-mini');
}

const settings = { prompt: 'Where is my order A-1234?', temperature: 0.3, maxOutputTokens: 300, maxRetries: 0 };

async function generate(provider: Provider) {
  const { ai } = await loadVercelAI();
  const result = await ai.generateText({ model: await model(provider), ...settings });
  return { text: result.text, finishReason: result.finishReason, usage: result.usage, id: result.response.id, modelId: result.response.modelId };
}

async function stream(provider: Provider) {
  const { ai } = await loadVercelAI();
  const result = ai.streamText({ model: await model(provider), ...settings });
  const deltas: string[] = [];
  for await (const delta of result.textStream) deltas.push(delta);
  const response = await result.response;
  return { deltas, finishReason: await result.finishReason, usage: await result.usage, id: response.id, modelId: response.modelId };
}

/** What each provider's span must say, from the bytes the stand-in sends. */
function expectProviderSpan(span: ReadableSpan, provider: Provider, streamed: boolean, usage: { inputTokens?: number; outputTokens?: number }): void {
  const common = { 'gen_ai.request.temperature': 0.3, 'gen_ai.request.max_tokens': 300, 'llm_otel.hook': 'fetch' };
  // Semconv: gen_ai.request.stream is set only when streaming.
  expect(span.attributes['gen_ai.request.stream']).toBe(streamed ? true : undefined);
  if (provider === 'anthropic') {
    expect(span.name).toBe('chat claude-3-opus-20240229');
    expect(span.attributes).toMatchObject({
      ...common,
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-3-opus-20240229',
      'llm_otel.protocol': 'anthropic.messages',
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
  } else {
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      ...common,
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'llm_otel.protocol': provider === 'chat' ? 'openai.chat_completions' : 'openai.responses',
    });
  }
  // The SDK's usage and the span's are both the provider's numbers.
  expect(span.attributes['gen_ai.usage.input_tokens']).toBe(usage.inputTokens);
  expect(span.attributes['gen_ai.usage.output_tokens']).toBe(usage.outputTokens);
  expect(span.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
  expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
  if (streamed) expectTimeToFirstChunk(span);
}

describe.each(['chat', 'responses', 'anthropic'] as const)('provider %s', (provider) => {
  test("generateText: one span with the provider's usage; the result is the same as without instrumentation", async () => {
    const { result, otel } = await harness.sameWithAndWithout(() => generate(provider));
    if (provider === 'responses') expect(result.id).toBe(recordedResponses.id);
    if (provider === 'anthropic') expect(result).toMatchObject({ id: recordedMessage.id, usage: { inputTokens: 17, outputTokens: 137 } });

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expectProviderSpan(span, provider, false, result.usage);
    expect(span.attributes['gen_ai.response.id']).toBe(result.id);
  });

  test('streamText: one span, time to first chunk; every delta reaches the caller; the app span is the parent', async () => {
    const uninstrumented = await stream(provider);
    const otel = harness.instrument();
    const { result, parentId } = await inAppSpan(otel, () => stream(provider));
    expect(result).toEqual(uninstrumented);
    expect(result.deltas.length).toBeGreaterThan(1);
    if (provider === 'anthropic') expect(result.usage).toMatchObject({ inputTokens: 17, outputTokens: 158 });

    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expectProviderSpan(span, provider, true, result.usage);
    expect(span.attributes['gen_ai.response.id']).toBe(result.id);
  });
});
