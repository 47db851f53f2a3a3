import net from 'node:net';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { settledHeapBytes } from './support/heap';
import { largeChatCompletion } from './support/large-completion';

// The fetch hook hands the caller a new Response around an observed body. Whatever fetch itself
// accepts from the network, the caller must get the same status line, headers and body as without
// us, and the wrapper must not keep more alive than the caller does.

let otel: InstrumentedUnderTest | undefined;
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

describe('status lines fetch accepts but the Response constructor does not', () => {
  // A raw server: node:http refuses to write these status lines, real servers and proxies send them.
  let rawServer: net.Server;
  let base: string;
  const body = '{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini","choices":[]}';

  beforeAll(async () => {
    rawServer = net.createServer((socket) => {
      socket.once('data', (request) => {
        const path = request.toString('latin1').split(' ')[1] ?? '';
        const statusLine = path.startsWith('/status-600/') ? 'HTTP/1.1 600 Custom' : 'HTTP/1.1 200 OK \u{1F600}';
        socket.end(`${statusLine}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((resolve) => rawServer.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(rawServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => rawServer.close(() => resolve())));

  async function call(path: string): Promise<{ status: number; statusText: string; text: string }> {
    const response = await fetch(`${base}${path}/v1/chat/completions`, { method: 'POST', body: '{"model":"gpt-4o-mini","messages":[]}' });
    return { status: response.status, statusText: response.statusText, text: await response.text() };
  }

  for (const [path, what] of [
    ['/status-600', 'a status code above 599 (some gateways send 6xx-9xx)'],
    ['/utf8-reason', 'a reason phrase with characters above U+00FF'],
  ] as const) {
    test(`${what}: the caller can still read the body`, async () => {
      const without = await call(path);
      expect(without.text).toBe(body);
      otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
      // The hook locks the body's reader before `new Response(...)` throws on this status line, then
      // returns the original response, whose body can no longer be read ("Body is unusable").
      expect(await call(path)).toEqual(without);
    });
  }
});

describe('memory the wrapper keeps', () => {
  let server: http.Server;
  let base: string;
  // A 3.5 MB completion, under the 4 MiB body bound, so the whole body is kept for parsing.
  const completion = largeChatCompletion('chatcmpl-held', 'word ', 700_000);

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume().on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(completion) });
        response.end(completion);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Heap kept, after GC, by `count` responses the caller has read to the end and still holds. */
  async function heldResponsesCost(count: number): Promise<number> {
    const before = await settledHeapBytes();
    const held: Response[] = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${base}/v1/chat/completions`, { method: 'POST', body: '{"model":"gpt-4o-mini","messages":[]}' });
      await response.arrayBuffer();
      held.push(response);
    }
    if (otel) await otel.spans(count);
    const after = await settledHeapBytes();
    expect(held).toHaveLength(count);
    return after - before;
  }

  test('a response the caller keeps after reading it does not keep our copy of its body', async () => {
    const count = 10;
    const without = await heldResponsesCost(count);
    otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
    const withUs = await heldResponsesCost(count);
    const perResponse = (withUs - without) / count;
    console.log(
      `${count} held responses of ${(completion.length / 1e6).toFixed(1)} MB: heap +${(without / 1e6).toFixed(1)} MB without, ` +
        `+${(withUs / 1e6).toFixed(1)} MB with the instrumentation (${(perResponse / 1e6).toFixed(2)} MB per response)`,
    );
    // The span has ended; what the call keeps past that is the FinalizationRegistry entry (a few
    // hundred bytes), not the body text and the parsed JSON.
    expect(perResponse).toBeLessThan(256 * 1024);
  }, 60_000);
});

describe('when the span of a response the caller dropped ends', () => {
  // A stream the test releases in two halves: the first event, then (on release) the rest with usage.
  let server: http.Server;
  let base: string;
  const waiting: http.ServerResponse[] = [];
  const halfJson: http.ServerResponse[] = [];
  const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    event({ id: 'chatcmpl-gc', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] });

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      request.resume().on('end', () => {
        if (request.url?.includes('/half-json/')) {
          // A JSON body that stops half-way until released.
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{"id":"chatcmpl-gc","object":"chat.completion","model":"gpt-4o-mini","choices":[');
          halfJson.push(response);
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(chunk({ role: 'assistant', content: 'Your order' }));
        waiting.push(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function releaseAll(): void {
    for (const response of halfJson.splice(0)) response.end(']}');
    for (const response of waiting.splice(0)) {
      response.write(chunk({ content: ' ships today.' }, 'stop'));
      response.write(
        event({
          id: 'chatcmpl-gc',
          object: 'chat.completion.chunk',
          model: 'gpt-4o-mini',
          choices: [],
          usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
        }),
      );
      response.end('data: [DONE]\n\n');
    }
  }

  async function startStream(): Promise<Response> {
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Where is my order?' }],
    });
    return fetch(`${base}/v1/chat/completions`, { method: 'POST', body });
  }

  test('a caller that keeps only response.body reads on after the Response is collected: the span ends at the real end, with usage', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
    // The Response is unreachable once this function returns; only the reader of its body is kept.
    const reader = await (async () => (await startStream()).body!.getReader())();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    await settledHeapBytes(); // full collections, and a turn for the finalisers they queue
    await settledHeapBytes();
    expect(otel.exporter.getFinishedSpans()).toHaveLength(0);
    releaseAll();
    for (let result = await reader.read(); !result.done; result = await reader.read()) text += decoder.decode(result.value, { stream: true });
    expect(text).toContain('data: [DONE]');
    const [span] = await otel.spans(1);
    expect(span.attributes['llm_otel.parse_error']).toBeUndefined();
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(9);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(5);
  });

  test('a json() read the caller dropped with its Response while the body stalls ends its span at the real end', async () => {
    // The pending read is reachable from the connection that will resolve it, so it is not
    // abandoned: the span ends when the body does, as an ordinary read.
    otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
    await (async () => {
      const response = await fetch(`${base}/half-json/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }) });
      void response.json();
    })();
    await settledHeapBytes();
    await settledHeapBytes();
    expect(otel.exporter.getFinishedSpans()).toHaveLength(0);
    releaseAll();
    const [span] = await otel.spans(1);
    expect(span.attributes['llm_otel.parse_error']).toBeUndefined();
    expect(span.attributes['gen_ai.response.id']).toBe('chatcmpl-gc');
  });

  test('a json() read kept by the caller while the body stalls across collections ends its span at the real end', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
    // Only the pending read is kept (in an object: an async function's result would be awaited).
    const { read } = await (async () => {
      const response = await fetch(`${base}/half-json/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [] }) });
      return { read: response.json() };
    })();
    await settledHeapBytes();
    await settledHeapBytes();
    expect(otel.exporter.getFinishedSpans()).toHaveLength(0);
    releaseAll();
    expect(await read).toMatchObject({ id: 'chatcmpl-gc' });
    const [span] = await otel.spans(1);
    expect(span.attributes['llm_otel.parse_error']).toBeUndefined();
    expect(span.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  test('a response dropped with its body unread still ends its span once collected', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: base, name: 'openai' }] });
    await (async () => {
      await startStream();
    })();
    const deadline = Date.now() + 20_000;
    while (otel.exporter.getFinishedSpans().length === 0 && Date.now() < deadline) await settledHeapBytes();
    releaseAll();
    const [span] = await otel.spans(1);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['llm_otel.parse_error']).toBe('the response body was never read to its end');
  });
});
