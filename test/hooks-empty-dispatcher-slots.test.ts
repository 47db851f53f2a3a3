import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { instrumentInMemory, type InstrumentedUnderTest } from './support/in-memory';

// The undici hook fills an empty global-dispatcher slot with a dispatcher whose Agent (npm undici 7)
// is made at its first dispatch, not at install (issue 11: loading undici was ~60 ms of every
// start-up). Node fills `.1` as soon as fetch's classes are touched, so the slots are emptied here by
// hand, as a process that cleared them, or undici 8's `.2` on Node 20/22, would have them.

const SLOT_V1 = Symbol.for('undici.globalDispatcher.1');
const SLOT_V2 = Symbol.for('undici.globalDispatcher.2');
// Node's fetch implementation loaded first (the hook loads it at install, which would fill `.1`), so
// that the slots emptied below stay empty, as in a process that cleared them.
void Response.prototype;
type Slots = Record<symbol, unknown>;
type Requesting = { request(options: Record<string, unknown>): Promise<{ statusCode: number; body: { json(): Promise<unknown> } }> };
const slots = globalThis as unknown as Slots;
const saved = { v1: slots[SLOT_V1], v2: slots[SLOT_V2] };
let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest | undefined;
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });

/** One chat completion through the dispatcher in `slot` (undici's API methods on ours). */
async function chatThrough(slot: symbol): Promise<unknown> {
  const response = await (slots[slot] as Requesting).request({
    origin: standIn.url,
    path: '/v1/chat/completions',
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(response.statusCode).toBe(200);
  return response.body.json();
}

beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
beforeEach(() => {
  slots[SLOT_V1] = undefined;
  slots[SLOT_V2] = undefined;
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
  slots[SLOT_V1] = saved.v1;
  slots[SLOT_V2] = saved.v2;
});
afterAll(async () => {
  await standIn.close();
});

test('both slots empty: one dispatcher of ours in both; its Agent, made at the first dispatch, carries the call, which is recorded', async () => {
  otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  const ours = slots[SLOT_V1] as { target?: unknown };
  expect(ours?.constructor?.name).toBe('ObservingDispatcher');
  expect(slots[SLOT_V2]).toBe(ours);
  expect(((await chatThrough(SLOT_V1)) as { object: string }).object).toBe('chat.completion');
  expect((await otel.spans(1)).map((span) => span.attributes['llm_otel.hook'])).toEqual(['undici']);
  expect(ours.target?.constructor?.name).toBe('Agent');
});

test('disabled before any dispatch, the Agent is never made: our dispatcher stays (delegating only), and a new instrumentation takes the slots over', async () => {
  const first = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  const left = slots[SLOT_V1];
  await first.close();
  // Not emptied: undici would crash on `undefined.dispatch` or replace the other slot.
  expect(slots[SLOT_V1]).toBe(left);
  expect(slots[SLOT_V2]).toBe(left);

  otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  expect(slots[SLOT_V1]).not.toBe(left);
  await chatThrough(SLOT_V1);
  expect((await otel.spans(1)).map((span) => span.attributes['llm_otel.hook'])).toEqual(['undici']);
  // The one left behind, inactive, still carries a call it is given (making its Agent then), unobserved.
  slots[SLOT_V2] = left;
  await chatThrough(SLOT_V2);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(first.exporter.getFinishedSpans()).toEqual([]);
  expect(otel.exporter.getFinishedSpans()).toHaveLength(1);
});

test('disabled after a dispatch: the slots get the Agent that was made, which keeps carrying calls', async () => {
  otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  await chatThrough(SLOT_V1);
  const agent = (slots[SLOT_V1] as { target: unknown }).target;
  await otel.close();
  otel = undefined;
  expect(slots[SLOT_V1]).toBe(agent);
  expect(slots[SLOT_V2]).toBe(agent);
  await chatThrough(SLOT_V1);
});
