import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { standInForFile } from './support/recorded-calls';
import { Writable } from 'node:stream';
import { instrumentInMemory, type InstrumentedUnderTest } from './support/in-memory';

// npm undici 8 keeps its global dispatcher in `Symbol.for('undici.globalDispatcher.2')` and puts a
// legacy-API wrapper of it into `.1`, the slot Node's fetch reads (undici 7 puts one dispatcher into
// both). Its own file, so that undici 8 is loaded into a process no other undici has set up: the
// order in which undici 8 and the instrumentation arrive is what these tests are about.
// (undici 6 and 7: Node's own fetch and npm undici 7 in hooks.test.ts.)

const [NODE_MAJOR, NODE_MINOR] = process.versions.node.split('.').map(Number);
const UNDICI_8_RUNS = NODE_MAJOR > 22 || (NODE_MAJOR === 22 && NODE_MINOR >= 19);
const SKIP_REASON = `undici 8 needs Node >= 22.19, this is Node ${process.versions.node}`;
if (!UNDICI_8_RUNS) console.warn(`npm undici 8 tests skipped: ${SKIP_REASON} (they run on the Node 24 leg)`);

const SLOT_V1 = Symbol.for('undici.globalDispatcher.1');
const SLOT_V2 = Symbol.for('undici.globalDispatcher.2');
const slots = globalThis as unknown as Record<symbol, unknown>;

// Node's fetch as an SDK captures it before set-up: only the dispatcher hook can see its calls.
const nodeFetch = globalThis.fetch;

let otel: InstrumentedUnderTest | undefined;
const standIn = standInForFile();
beforeAll(() => {
  standIn().script(realisticChatRoute());
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

type Undici8 = typeof import('undici-v8');
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
const headers = { 'content-type': 'application/json' };

/** One call each way undici 8 and Node's fetch offer; resolves when all bodies are read. */
async function callEveryWay(undici8: Undici8): Promise<void> {
  const url = `${standIn().url}/v1/chat/completions`;
  const viaRequest = await undici8.request(url, { method: 'POST', headers, body });
  expect(((await viaRequest.body.json()) as { object: string }).object).toBe('chat.completion');
  const viaFetch = await undici8.fetch(url, { method: 'POST', headers, body });
  expect(((await viaFetch.json()) as { object: string }).object).toBe('chat.completion');
  const streamed: Buffer[] = [];
  await undici8.stream(
    url,
    { method: 'POST', headers, body },
    () =>
      new Writable({
        write(chunk: Buffer, _encoding: string, done: () => void) {
          streamed.push(chunk);
          done();
        },
      }),
  );
  expect(JSON.parse(Buffer.concat(streamed).toString()).object).toBe('chat.completion');
  const viaNodeFetch = await nodeFetch(url, { method: 'POST', headers, body });
  expect((await viaNodeFetch.json()).object).toBe('chat.completion');
}

async function expectOneSpanPerCall(count: number): Promise<void> {
  const spans = await otel!.spans(count);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(otel!.exporter.getFinishedSpans()).toHaveLength(count);
  expect(spans.map((span) => span.attributes['llm_otel.hook'])).toEqual(Array(count).fill('undici'));
  for (const span of spans) expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
}

describe('npm undici 8', () => {
  // Skipped inside each test with a note, so that the reporter says why.
  beforeEach((ctx) => {
    if (!UNDICI_8_RUNS) ctx.skip(SKIP_REASON);
  });

  test('loaded after the instrumentation: undici.request, fetch and stream are recorded, and Node’s fetch stays hooked', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn().url, name: 'openai' }] });
    const undici8 = (await import('undici-v8')) as Undici8;
    await callEveryWay(undici8);
    await expectOneSpanPerCall(4);
  });

  test('installed after undici 8 set its global dispatcher: every call recorded once; disable() puts undici 8’s dispatchers back', async () => {
    const undici8 = (await import('undici-v8')) as Undici8;
    const agent = new undici8.Agent();
    undici8.setGlobalDispatcher(agent);
    const legacyWrapper = slots[SLOT_V1];
    // undici 8's layout: `.2` is the Agent, `.1` a different object wrapping it.
    expect(slots[SLOT_V2]).toBe(agent);
    expect(legacyWrapper).not.toBe(agent);

    otel = instrumentInMemory({ providers: [{ baseUrl: standIn().url, name: 'openai' }] });
    expect(undici8.getGlobalDispatcher()).not.toBe(agent);
    await callEveryWay(undici8);
    await expectOneSpanPerCall(4);

    otel.instrumentation.disable();
    expect(slots[SLOT_V2]).toBe(agent);
    expect(slots[SLOT_V1]).toBe(legacyWrapper);
    await callEveryWay(undici8);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(4);
    await agent.close();
  });
});
