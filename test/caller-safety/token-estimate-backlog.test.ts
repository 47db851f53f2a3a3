import { afterAll, beforeAll, expect, test } from 'vitest';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { settledHeapBytes } from './support/heap';

// Streams that report no usage get a token estimate from a worker thread, after the caller is done.
// Until the estimate arrives, the call's request (its prompt, up to maxRequestBodyBytes) stays in
// memory, and the texts wait in the worker's queue. When calls with long prompts end faster than the
// worker counts, that backlog must stay bounded, not grow with every call.

const CALLS = 400;
const PROMPT_WORDS = 60_000; // about 450,000 characters, a long agent context
const WORDS = ['order', 'refund', 'shipping', 'customer', 'address', 'please', 'thanks'];
const BOUND_MIB = 64;
const AGENTS = 8;

const encoder = new TextEncoder();
const streamEvents = [
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Your order ships today."},"finish_reason":null}]}\n\n',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
  'data: [DONE]\n\n',
].map((event) => encoder.encode(event));

/** The network, in-process: every call streams the same short answer without usage, at once. */
async function streamWithoutUsage(): Promise<Response> {
  // A turn of the event loop, as real I/O takes: span ends and worker replies get their turns.
  await new Promise((resolve) => setImmediate(resolve));
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(streamEvents[next++]);
      if (next === streamEvents.length) controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const realFetch = globalThis.fetch;
let otel: InstrumentedUnderTest;
beforeAll(() => {
  // Before the instrumentation: the fetch hook wraps whatever fetch is when it is installed.
  globalThis.fetch = streamWithoutUsage;
  otel = instrumentInMemory();
});
afterAll(async () => {
  await otel.close();
  globalThis.fetch = realFetch;
});

test(`${CALLS} streamed calls (${AGENTS} at a time) with ~450k-character prompts and no usage: memory held for pending estimates stays under ${BOUND_MIB} MiB`, async () => {
  // One long conversation context, as an agent resends it with each turn.
  const context = Array.from({ length: PROMPT_WORDS }, (_, word) => WORDS[word % WORDS.length]).join(' ');
  const baseline = await settledHeapBytes();
  const started = performance.now();
  let issued = 0;
  const agent = async () => {
    while (issued < CALLS) {
      const prompt = `${context} Turn ${issued++}: where is my order?`;
      const response = await fetch('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] }),
      });
      expect(await response.text()).toContain('Your order ships today.');
    }
  };
  await Promise.all(Array.from({ length: AGENTS }, agent));
  const callsDone = performance.now();
  const pending = CALLS - otel.exporter.getFinishedSpans().length;
  const held = (await settledHeapBytes()) - baseline;
  const spans = await otel.spans(CALLS, 120_000);
  console.log(
    `${CALLS} calls in ${((callsDone - started) / 1000).toFixed(1)} s; ${pending} estimates still pending then, ` +
      `heap +${(held / 1024 / 1024).toFixed(1)} MiB after GC; all spans ended ${((performance.now() - callsDone) / 1000).toFixed(1)} s later`,
  );
  expect(spans.every((span) => span.attributes['llm_otel.usage.estimated'] === true || span.attributes['gen_ai.usage.input_tokens'] === undefined)).toBe(true);
  expect(held).toBeLessThan(BOUND_MIB * 1024 * 1024);
}, 180_000);
