import { afterEach, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture } from '@llm-otel/provider-stand-in';
import type { LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import * as semconv from '../packages/instrumentation/src/semconv';
import { instrumentInMemory, type InstrumentedUnderTest } from './support/in-memory';
import { replayRecordedCall, standInForFile } from './support/recorded-calls';

// Issue 9 item 5, on real spans: the real instrumentation and fetch against the stand-in replaying
// recorded provider traffic.
const stand = standInForFile();
let otel: InstrumentedUnderTest | undefined;
afterEach(async () => {
  await otel?.close();
  otel = undefined;
  delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
});

async function replayed(fixture: string, config: LlmInstrumentationConfig = {}) {
  otel = instrumentInMemory(config);
  return replayRecordedCall(stand(), otel, fixture);
}

describe('OpenAI attributes', () => {
  test('openai.api.type, openai.response.service_tier and .system_fingerprint where OpenAI returns them', async () => {
    const span = await replayed('openai-chat-stream-tool-calls.json');
    expect(span.attributes).toMatchObject({
      'openai.api.type': 'chat_completions',
      'openai.response.service_tier': 'default',
      'openai.response.system_fingerprint': 'fp_34a54ae93c',
      'gen_ai.request.stream': true,
    });
  });

  test('system_fingerprint: null is left out; a JSON call has no gen_ai.request.stream', async () => {
    const span = await replayed('openai-chat.json');
    expect(span.attributes['openai.response.system_fingerprint']).toBeUndefined();
    expect(span.attributes['gen_ai.request.stream']).toBeUndefined();
    expect(span.attributes['openai.api.type']).toBe('chat_completions');
  });

  test('responses API', async () => {
    const span = await replayed('openai-responses.json');
    expect(span.attributes['openai.api.type']).toBe('responses');
  });
});

describe('tool definitions (opt-in, with content capture)', () => {
  test('with content capture: gen_ai.tool.definitions in the semconv schema', async () => {
    const span = await replayed('openai-chat-stream-tool-calls.json', { captureContent: true });
    const definitions = JSON.parse(String(span.attributes['gen_ai.tool.definitions'])) as { type: string; name: string; parameters: unknown }[];
    expect(definitions.map((tool) => [tool.type, tool.name])).toEqual([
      ['function', 'get_current_weather'],
      ['function', 'get_tomorrow_weather'],
    ]);
    expect(definitions[0].parameters).toMatchObject({ type: 'object', required: ['location'] });
  });

  test('without content capture: none', async () => {
    const span = await replayed('openai-chat-stream-tool-calls.json');
    expect(span.attributes['gen_ai.tool.definitions']).toBeUndefined();
  });
});

describe('finish reason error when a stream ended without one', () => {
  test('a stream cut before its finish reason: ["error"]', async () => {
    otel = instrumentInMemory();
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: 'c1', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    stand().script({
      path: '/cut/v1/chat/completions',
      respond: { headers: { 'content-type': 'text/event-stream' }, chunks: [chunk('Hel'), chunk('lo')], destroyAfterChunks: 2 },
    });
    const response = await fetch(`${stand().url}/cut/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [], stream: true }),
    });
    await response.text().catch(() => undefined);
    const [span] = await otel.spans(1);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
  });

  test('a complete stream keeps the provider finish reason', async () => {
    const span = await replayed('openai-chat-stream-no-usage.json');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });
});

describe('content truncation shows on the span', () => {
  test('llm_otel.content.truncated when the kept output hit maxContentLength', async () => {
    const span = await replayed('anthropic-messages-stream.json', { captureContent: true, maxContentLength: 40 });
    expect(span.attributes['llm_otel.content.truncated']).toBe(true);
    expect(String(span.attributes['gen_ai.output.messages']).length).toBeLessThan(200);
  });

  test('absent when everything was kept', async () => {
    const span = await replayed('anthropic-messages-stream.json', { captureContent: true });
    expect(span.attributes['llm_otel.content.truncated']).toBeUndefined();
  });
});

describe('OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental', () => {
  test('v1.41 names by default', async () => {
    const span = await replayed('anthropic-messages.json');
    expect(span.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(0);
    expect(span.attributes['gen_ai.usage.cache_write.input_tokens']).toBeUndefined();
  });

  test('the GenAI repository names, read from a comma-separated list when the instrumentation is constructed', async () => {
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = 'http, gen_ai_latest_experimental';
    otel = instrumentInMemory();
    // Read once: changing the variable later does not switch an instrumentation already made.
    process.env.OTEL_SEMCONV_STABILITY_OPT_IN = '';
    for (const route of fixtureRoutes('gemini-generate-content.json')) stand().script(route);
    for (const route of fixtureRoutes('anthropic-messages.json')) stand().script(route);
    const gemini = loadFixture('gemini-generate-content.json').entries[0].request;
    await (await fetch(`${stand().url}${new URL(gemini.url).pathname}`, { method: 'POST', body: gemini.body })).text();
    const anthropic = loadFixture('anthropic-messages.json').entries[0].request;
    await (await fetch(`${stand().url}/v1/messages`, { method: 'POST', body: anthropic.body })).text();
    const spans = await otel.spans(2);
    const byProvider = new Map(spans.map((span) => [span.attributes['llm_otel.protocol'], span.attributes]));
    expect(byProvider.get('anthropic.messages')).toMatchObject({ 'gen_ai.usage.cache_write.input_tokens': 0 });
    expect(byProvider.get('anthropic.messages')?.['gen_ai.usage.cache_creation.input_tokens']).toBeUndefined();
    expect(byProvider.get('gcp.gemini.generate_content')).toMatchObject({ 'gen_ai.usage.text.input_tokens': 12, 'gen_ai.usage.text.output_tokens': 2 });
  });
});

describe('attribute names', () => {
  test('no name we emit is a namespace of another (never gen_ai.usage.cost and gen_ai.usage.cost.amount)', () => {
    const names = Object.entries(semconv)
      .filter(([key, value]) => key.startsWith('ATTR_') && typeof value === 'string')
      .map(([, value]) => value as string);
    names.push(
      ...['text', 'image', 'audio', 'video'].flatMap((modality) => [`gen_ai.usage.${modality}.input_tokens`, `gen_ai.usage.${modality}.output_tokens`]),
    );
    const clashes = names.flatMap((name) => names.filter((other) => other.startsWith(`${name}.`)).map((other) => `${name} / ${other}`));
    expect(clashes).toEqual([]);
    expect(names).toContain('gen_ai.usage.cost');
  });
});
