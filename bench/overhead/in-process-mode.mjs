import OpenAI from 'openai';
import { startInstrumentation } from './instrumented-pipeline.mjs';
import { measureOverhead } from './measure-overhead.mjs';
import { plainExchange, streamExchange } from './recorded-exchanges.mjs';

const encoder = new TextEncoder();
const plainBody = encoder.encode(plainExchange.body);
const streamEvents = streamExchange.events.map((event) => encoder.encode(event));

/**
 * Stands in for the network: answers every chat completion with the recorded bytes, the stream
 * as 12 separate chunks handed out as the reader pulls them. No I/O, so what is timed is the SDK
 * and our work.
 */
export async function recordedFetch(_input, init) {
  const streamed = typeof init?.body === 'string' && init.body.includes('"stream":true');
  if (!streamed) return new Response(plainBody, { status: plainExchange.status, headers: plainExchange.headers });
  let next = 0;
  const body = new ReadableStream({
    pull(controller) {
      controller.enqueue(streamEvents[next++]);
      if (next === streamEvents.length) controller.close();
    },
  });
  return new Response(body, { status: streamExchange.status, headers: streamExchange.headers });
}

/**
 * The in-process set-up: the fetch stub installed, the instrumentation enabled over it, and a
 * client constructed after that. `stop()` undoes all three.
 */
export function inProcessClient() {
  const realFetch = globalThis.fetch;
  // Before enable(): the fetch hook wraps whatever globalThis.fetch is when it is installed.
  globalThis.fetch = recordedFetch;
  const pipeline = startInstrumentation();
  // After enable(): the SDK captures globalThis.fetch (now the hooked stub) in its constructor.
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: 'https://api.openai.com/v1', maxRetries: 0 });
  return {
    pipeline,
    client,
    async stop() {
      await pipeline.stop();
      globalThis.fetch = realFetch;
    },
  };
}

/** In-process mode: `globalThis.fetch` is the stub, so no socket is involved. */
export async function runInProcess(plan) {
  const { pipeline, client, stop } = inProcessClient();
  try {
    return await measureOverhead(pipeline, client, plan);
  } finally {
    await stop();
  }
}
