import { afterEach, beforeAll, expect, test } from 'vitest';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { standInForFile } from '../support/recorded-calls';

// Issue 15 item 5: npm undici 6 (alias undici-v6, pinned in test/package.json) keeps its global dispatcher
// in the slot Node's own fetch reads (`Symbol.for('undici.globalDispatcher.1')`), as Node 20/22's bundled
// undici 6 does: the dispatcher hook sees its request, fetch and stream calls. (Node's fetch and npm undici 7:
// test/hooks.test.ts; npm undici 8: test/hooks-undici8.test.ts.) Its own file, so that no other undici set
// up this process first.

const standIn = standInForFile();
let otel: InstrumentedUnderTest | undefined;
beforeAll(() => standIn().script(realisticChatRoute()));
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
const headers = { 'content-type': 'application/json' };

test('undici 6 request, fetch and stream, loaded before set-up: one LLM span each, from the dispatcher hook', async () => {
  const undici6 = await import('undici-v6');
  otel = instrumentInMemory({ providers: [{ baseUrl: `${standIn().url}/v1`, name: 'openai' }] });
  const url = `${standIn().url}/v1/chat/completions`;
  const viaRequest = await undici6.request(url, { method: 'POST', headers, body });
  expect(((await viaRequest.body.json()) as { object: string }).object).toBe('chat.completion');
  const viaFetch = await undici6.fetch(url, { method: 'POST', headers, body });
  expect(((await viaFetch.json()) as { object: string }).object).toBe('chat.completion');
  const chunks: Buffer[] = [];
  const { Writable } = await import('node:stream');
  await undici6.stream(url, { method: 'POST', headers, body }, () => new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }));
  expect(JSON.parse(Buffer.concat(chunks).toString('utf8')).object).toBe('chat.completion');

  const spans = await otel.spans(3);
  expect(spans.map((span) => [span.name, span.attributes['llm_otel.hook']])).toEqual([
    ['chat gpt-4o-mini', 'undici'],
    ['chat gpt-4o-mini', 'undici'],
    ['chat gpt-4o-mini', 'undici'],
  ]);
  for (const span of spans) expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
});
