import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { largeChatCompletion } from './support/large-completion';

// Our end-of-call work (parsing a whole JSON body, pricing, estimating) must not stand between the
// provider's last byte and the caller's result: the caller has its result before the span ends, in
// every round. How long our work takes (medians with and without the instrumentation, as ratios) is
// measured by bench/latency/run.mjs: wall-clock ratios do not hold on a loaded machine.

// Captured before any instrumentation: calls through it reach the hooks only via the undici dispatcher.
const fetchCapturedEarly = globalThis.fetch;

const CHUNK = 64 * 1024;
const ROUNDS = 5;

let server: http.Server;
let base: string;

// 4 MB of chat completion in 64 KiB writes; 3.9 MiB, just under the 4 MiB bound, so it is parsed whole.
const completion = largeChatCompletion('chatcmpl-latency', 'token ', 680_000);
// One 4 MB SSE event (the Responses API's response.completed repeats the whole output).
const bigEvent = `event: response.completed\ndata: ${JSON.stringify({
  type: 'response.completed',
  response: {
    id: 'resp_latency',
    model: 'gpt-4o-mini',
    status: 'completed',
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'token '.repeat(680_000) }] }],
    usage: { input_tokens: 3, output_tokens: 680_000, total_tokens: 680_003 },
  },
})}\n\n`;

function sendInChunks(response: http.ServerResponse, body: string, contentType: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  let offset = 0;
  const writeMore = () => {
    while (offset + CHUNK < body.length) {
      const accepted = response.write(body.slice(offset, offset + CHUNK));
      offset += CHUNK;
      if (!accepted) {
        response.once('drain', writeMore);
        return;
      }
    }
    response.end(body.slice(offset));
  };
  writeMore();
}

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume().on('end', () => {
      if (request.url?.includes('/v1/responses')) sendInChunks(response, bigEvent, 'text/event-stream');
      else sendInChunks(response, completion, 'application/json');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * Runs `measure` (which returns when the caller had its result) in `ROUNDS` instrumented rounds;
 * counts the rounds whose span ended before the caller had its result.
 */
async function roundsWhereSpanEndedFirst(measure: () => Promise<number>): Promise<number> {
  let spanEndedFirst = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let spanEndedAt = 0;
    const provider = new BasicTracerProvider({
      spanProcessors: [
        { onStart: () => undefined, onEnd: () => (spanEndedAt = performance.now()), forceFlush: async () => undefined, shutdown: async () => undefined },
      ],
    });
    const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: base, name: 'openai' }] });
    instrumentation.setTracerProvider(provider);
    try {
      const callerDoneAt = await measure();
      const deadline = Date.now() + 20_000;
      while (spanEndedAt === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(spanEndedAt).toBeGreaterThan(0);
      if (spanEndedAt < callerDoneAt) spanEndedFirst += 1;
    } finally {
      instrumentation.disable();
      trace.disable();
    }
  }
  return spanEndedFirst;
}

const chatRequest = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}';

describe('a 4 MB JSON body', () => {
  for (const [hook, fetchFunction] of [
    ['fetch hook', (...args: Parameters<typeof fetch>) => globalThis.fetch(...args)],
    ['dispatcher hook', fetchCapturedEarly],
  ] as const) {
    test(`${hook}: await response.json() resolves before our parsing, pricing and span end`, async () => {
      const spanEndedFirst = await roundsWhereSpanEndedFirst(async () => {
        const response = await fetchFunction(`${base}/v1/chat/completions`, { method: 'POST', body: chatRequest });
        const parsed = (await response.json()) as { id: string };
        const doneAt = performance.now();
        expect(parsed.id).toBe('chatcmpl-latency');
        return doneAt;
      });
      expect(spanEndedFirst).toBe(0);
    }, 120_000);
  }
});

describe('a 4 MB server-sent event', () => {
  test('reading a stream whose one event is 4 MB (in 64 KiB chunks) gives the caller every byte before the span ends', async () => {
    const spanEndedFirst = await roundsWhereSpanEndedFirst(async () => {
      const response = await fetch(`${base}/v1/responses`, { method: 'POST', body: '{"model":"gpt-4o-mini","input":"hi","stream":true}' });
      const text = await response.text();
      const doneAt = performance.now();
      expect(text).toBe(bigEvent);
      return doneAt;
    });
    expect(spanEndedFirst).toBe(0);
  }, 180_000);
});
