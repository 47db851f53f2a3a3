import { afterAll, beforeAll, expect, test } from 'vitest';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { settledHeapBytes } from './support/heap';
import { DEFAULT_BACKLOG_BOUNDS } from '../../packages/instrumentation/src/estimate/token-count-client';

// Streams that report no usage get a token estimate from a worker thread, after the caller is done.
// Until the estimate arrives, the call's request (its prompt, up to maxRequestBodyBytes) stays in
// memory, and the texts wait in the worker's queue. When calls with long prompts end faster than the
// worker counts, that backlog is bounded by design (DEFAULT_BACKLOG_BOUNDS: 64 estimates and 16 MiB
// of text): past the bound an estimate is skipped and the span says so. Without the bound it held
// 126 MB on a busy machine (issue 9 item 13). The bound below is the design's, not a measurement of
// how fast this machine is: a slower machine skips more estimates, it does not hold more memory.

const CALLS = 400;
const PROMPT_WORDS = 60_000; // about 400,000 characters, a long agent context
const AGENTS = 8;
// What waits for the worker at most, and room for what else the heap holds after the calls (spans in
// the in-memory exporter, the agents' contexts are in the baseline).
const BOUND_MIB = DEFAULT_BACKLOG_BOUNDS.maxPendingBytes / 1024 / 1024 + 16;

/**
 * One context per agent, of made-up words: a tokenizer counts it several times slower than repeated
 * dictionary words (its per-word cache rarely hits), so calls end much faster than the worker counts,
 * on any machine.
 */
function agentContext(agent: number): string {
  let seed = agent + 1;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const word = () => Array.from({ length: 3 + Math.floor(random() * 6) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
  return Array.from({ length: PROMPT_WORDS }, word).join(' ');
}

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

test(`${CALLS} streamed calls (${AGENTS} at a time) with ~400k-character prompts and no usage: memory held for pending estimates stays under ${BOUND_MIB} MiB, and every span has an estimate or says why not`, async () => {
  const contexts = Array.from({ length: AGENTS }, (_, agent) => agentContext(agent));
  const baseline = await settledHeapBytes();
  const started = performance.now();
  let issued = 0;
  const agent = async (context: string) => {
    while (issued < CALLS) {
      const prompt = `${context} Turn ${issued++}: where is my order?`;
      const response = await fetch('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] }),
      });
      expect(await response.text()).toContain('Your order ships today.');
    }
  };
  await Promise.all(contexts.map(agent));
  const callsDone = performance.now();
  const pending = CALLS - otel.exporter.getFinishedSpans().length;
  const held = (await settledHeapBytes()) - baseline;
  console.log(
    `${CALLS} calls in ${((callsDone - started) / 1000).toFixed(1)} s; ${pending} spans still completing then, heap +${(held / 1024 / 1024).toFixed(1)} MiB after GC`,
  );
  expect(held).toBeLessThan(BOUND_MIB * 1024 * 1024);

  const spans = await otel.spans(CALLS, 120_000);
  const skipped = spans.filter((span) => span.attributes['llm_otel.usage.estimate_skipped'] !== undefined);
  console.log(`all spans ended ${((performance.now() - callsDone) / 1000).toFixed(1)} s later; ${skipped.length} estimates skipped (backlog full)`);
  for (const span of spans) {
    if (span.attributes['llm_otel.usage.estimated'] === true) expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(100_000);
    else expect(span.attributes['llm_otel.usage.estimate_skipped']).toBe('backlog_full');
  }
}, 180_000);
