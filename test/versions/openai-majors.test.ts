import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { standInForFile } from '../support/recorded-calls';
import { MODERN_NODE } from '../support/sdk-versions';

// Issue 15 item 5: a short smoke suite per supported openai major (aliases pinned in test/package.json:
// openai-v4, openai-v5, openai 6, openai-v7), a JSON and a streamed chat completion each. The full SDK
// suite (test/sdk/openai.test.ts) runs the newest major the Node leg supports.

type OpenAIClass = new (options: {
  baseURL: string;
  apiKey: string;
  maxRetries: number;
  fetch?: typeof fetch;
}) => {
  chat: { completions: { create(body: unknown): Promise<unknown> } };
};

const MAJORS: { major: number; load: () => Promise<{ default: unknown }>; runs: boolean; reason?: string }[] = [
  { major: 4, load: () => import('openai-v4'), runs: true },
  { major: 5, load: () => import('openai-v5'), runs: true },
  { major: 6, load: () => import('openai'), runs: true },
  { major: 7, load: () => import('openai-v7'), runs: MODERN_NODE, reason: `openai 7 needs Node >= 22, this is Node ${process.versions.node}` },
];
for (const { major, runs, reason } of MAJORS) if (!runs) console.warn(`openai ${major} smoke tests skipped: ${reason} (they run on the Node 24 leg)`);

const standIn = standInForFile();
let otel: InstrumentedUnderTest | undefined;
beforeAll(() => standIn().script(realisticChatRoute()));
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

const messages = [{ role: 'user', content: 'Where is my order?' }];

async function chatTwice(OpenAI: OpenAIClass, options: { fetch?: typeof fetch } = {}): Promise<void> {
  const client = new OpenAI({ baseURL: `${standIn().url}/v1`, apiKey: 'test', maxRetries: 0, ...options });
  const completion = (await client.chat.completions.create({ model: 'gpt-4o-mini', messages })) as { choices: { message: { content: string } }[] };
  expect(completion.choices[0].message.content.length).toBeGreaterThan(0);
  const stream = (await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  })) as AsyncIterable<unknown>;
  let chunks = 0;
  for await (const _chunk of stream) chunks++;
  expect(chunks).toBeGreaterThan(2);
}

function expectTwoChatSpans(spans: ReturnType<InstrumentedUnderTest['exporter']['getFinishedSpans']>): void {
  expect(spans.map((span) => span.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
  for (const span of spans) {
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o-mini-2024-07-18');
  }
  expect(spans[1].attributes['gen_ai.request.stream']).toBe(true);
  expect(spans[1].attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
}

describe.each(MAJORS)('openai $major', ({ major, load, runs, reason }) => {
  test.skipIf(!runs)(`chat completion, JSON and streamed: one span each with usage${runs ? '' : ` (skipped: ${reason})`}`, async () => {
    const OpenAI = (await load()).default as OpenAIClass;
    otel = instrumentInMemory({ providers: [{ baseUrl: `${standIn().url}/v1`, name: 'openai' }] });
    // openai 4 sends through node-fetch over node:http by default, which neither hook sees: given the
    // global fetch (the wrapped one), it is traced like 5 and newer (on Node 20 too: plain-process-dispatcher.test.ts).
    await chatTwice(OpenAI, major === 4 ? { fetch: globalThis.fetch } : {});
    expectTwoChatSpans(await otel.spans(2));
    // Made after set-up, each client captured the wrapped fetch.
    expect(otel.exporter.getFinishedSpans().map((span) => span.attributes['llm_otel.hook'])).toEqual(['fetch', 'fetch']);
  });
});

test('openai 4 at its defaults (node-fetch over node:http) is not traced: no span, and the call is unaffected', async () => {
  const OpenAI = (await import('openai-v4')).default as unknown as OpenAIClass;
  otel = instrumentInMemory({ providers: [{ baseUrl: `${standIn().url}/v1`, name: 'openai' }] });
  await chatTwice(OpenAI);
  // Give a span that would come every chance to end.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(otel.exporter.getFinishedSpans()).toEqual([]);
});
