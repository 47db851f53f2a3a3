import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import * as undici from 'undici';
import { LlmInstrumentation, type LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import { startRecordingServer, type RecordingServer } from './support/recording-server';

// The one change llm-otel makes to a request body: trace context in params._meta of an MCP
// JSON-RPC request. What reaches the server is compared byte for byte with what the caller sent:
// identical when we leave it, different only by the inserted _meta text when we change it.
const capturedFetch = globalThis.fetch; // captured before set-up: only the undici hook sees its calls
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let server: RecordingServer;
let instrumentation: LlmInstrumentation | undefined;

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const SESSION_HEADERS = { ...MCP_HEADERS, 'mcp-protocol-version': '2025-06-18', 'mcp-session-id': 'session-1182' };
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

beforeAll(async () => {
  provider.register(); // the W3C trace-context and baggage propagators, as NodeSDK registers them
  server = await startRecordingServer();
});
afterEach(async () => {
  // Spans of this test end before the next one looks (a failed test stops before its wait).
  await instrumentation?.flush();
  await new Promise((resolve) => setTimeout(resolve, 20));
  instrumentation?.disable();
  instrumentation = undefined;
  exporter.reset();
  server.received.length = 0;
  server.reply = 'json';
});
afterAll(async () => {
  await server.close();
  await provider.shutdown();
  trace.disable();
  propagation.disable();
  context.disable();
});

function instrument(config: LlmInstrumentationConfig = {}): LlmInstrumentation {
  instrumentation = new LlmInstrumentation(config);
  instrumentation.setTracerProvider(provider);
  return instrumentation;
}

async function mcpSpans(count: number): Promise<ReadableSpan[]> {
  await instrumentation!.flush();
  const deadline = Date.now() + 10_000;
  while (exporter.getFinishedSpans().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  return exporter.getFinishedSpans();
}

/** Waits a little longer and returns every span (for "no span" checks). */
async function settledSpans(): Promise<ReadableSpan[]> {
  await instrumentation!.flush();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return exporter.getFinishedSpans();
}

async function post(body: RequestInit['body'], headers: Record<string, string> = SESSION_HEADERS, fetch = globalThis.fetch): Promise<string> {
  const response = await fetch(server.url, { method: 'POST', headers, body, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);
  return response.text();
}

/**
 * The received bytes are the sent bytes with one run of text inserted, the run `inserted` finds
 * (where exactly it starts is ambiguous byte-wise: `{` + `"_meta"…,` + `"name"` shares its quote).
 */
function expectInserted(sent: Buffer, received: Buffer, inserted: RegExp): string {
  const text = received.toString('utf8');
  const match = new RegExp(inserted.source).exec(text);
  expect(match, `no ${inserted} in ${text.slice(0, 300)}`).not.toBeNull();
  const without = text.slice(0, match!.index) + text.slice(match!.index + match![0].length);
  expect(Buffer.from(without).equals(sent)).toBe(true);
  expect(received.length).toBe(sent.length + Buffer.byteLength(match![0]));
  return match![0];
}

function lastReceived() {
  const request = server.received.at(-1)!;
  expect(Number(request.headers['content-length'] ?? request.body.length)).toBe(request.body.length);
  return request;
}

const toolCall = (params: string) => `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":${params}}`;

describe('a body we change differs only in params._meta', () => {
  test.each([
    ['params without _meta', toolCall('{"name":"lookup_order","arguments":{"orderId":"1182"}}'), /"_meta":\{"traceparent":"[^"]+"\},/],
    ['empty params', toolCall('{}'), /"_meta":\{"traceparent":"[^"]+"\}/],
    ['an existing _meta', toolCall('{"name":"x","_meta":{"progressToken":5}}'), /"traceparent":"[^"]+",/],
    ['an empty _meta', toolCall('{"name":"x","_meta":{}}'), /"traceparent":"[^"]+"/],
    ['no params (tools/list)', '{"jsonrpc":"2.0","id":"a-1","method":"tools/list"}', /,"params":\{"_meta":\{"traceparent":"[^"]+"\}\}/],
    [
      'odd spelling kept: whitespace, escaped keys, big integers, 1.0, unicode escapes',
      '{ "jsonrpc" : "2.0" ,\n\t"id" : 12345678901234567890 , "method":"tools/call", "par\\u0061ms" : { "name" : "caf\\u00e9", "arguments": {"n": 1.0, "s": "\\ud83d\\ude00 é"} } }  ',
      /"_meta":\{"traceparent":"[^"]+"\},/,
    ],
  ])('%s', async (_label, body, inserted) => {
    instrument();
    await post(body);
    const received = lastReceived();
    expectInserted(Buffer.from(body), received.body, inserted);
    const [span] = await mcpSpans(1);
    // The traceparent sent is the MCP span's own: the server's span becomes its child.
    const traceparent = (JSON.parse(received.body.toString('utf8')) as { params: { _meta: { traceparent: string } } }).params._meta.traceparent;
    expect(traceparent).toMatch(TRACEPARENT);
    expect(traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(span.attributes['llm_otel.mcp.meta_injected']).toBe(true);
  });

  test('baggage goes into _meta too when the application has some (semconv: "baggage ... in the same params._meta")', async () => {
    instrument();
    const withBaggage = propagation.setBaggage(context.active(), propagation.createBaggage({ tenant: { value: 'bank-7' } }));
    await context.with(withBaggage, () => post(toolCall('{"name":"x"}')));
    expectInserted(Buffer.from(toolCall('{"name":"x"}')), lastReceived().body, /"_meta":\{"traceparent":"[^"]+","baggage":"tenant=bank-7"\},/);
  });

  test.each([
    ['Uint8Array', (text: string) => new TextEncoder().encode(text)],
    ['Buffer', (text: string) => Buffer.from(text)],
    ['ArrayBuffer', (text: string) => new TextEncoder().encode(text).buffer],
  ])('a %s body is changed the same way, content-length follows', async (_label, make) => {
    instrument();
    const body = toolCall('{"name":"lookup_order","arguments":{"note":"naïve ✓"}}');
    await post(make(body) as RequestInit['body']);
    expectInserted(Buffer.from(body), lastReceived().body, /"_meta":\{"traceparent":"[^"]+"\},/);
  });

  test('a notification is changed too, and its 202 ends its span', async () => {
    instrument();
    const body = '{"jsonrpc":"2.0","method":"notifications/initialized"}';
    await post(body);
    expectInserted(Buffer.from(body), lastReceived().body, /,"params":\{"_meta":\{[^}]+\}\}/);
    const [span] = await mcpSpans(1);
    expect(span.name).toBe('notifications/initialized');
    expect(span.attributes['http.response.status_code']).toBe(202);
    expect(span.status.code).toBe(0);
  });

  test('undici.request with a string body (the dispatcher hook): the same change, content-length computed by undici', async () => {
    instrument();
    const body = toolCall('{"name":"lookup_order"}');
    const response = await undici.request(server.url, { method: 'POST', headers: SESSION_HEADERS, body });
    await response.body.text();
    expectInserted(Buffer.from(body), lastReceived().body, /"_meta":\{"traceparent":"[^"]+"\},/);
    const [span] = await mcpSpans(1);
    expect(span.attributes['llm_otel.hook']).toBe('undici');
    expect(span.attributes['llm_otel.mcp.meta_injected']).toBe(true);
  });
});

describe('a body we do not change reaches the server identical', () => {
  const invalidUtf8 = Buffer.concat([Buffer.from(toolCall('{"name":"')), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const deep = toolCall(`{"name":"deep","arguments":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  test.each<[string, () => RequestInit['body'], Buffer, boolean, Record<string, string>?]>([
    [
      'a trace context the caller put in _meta',
      () => toolCall('{"name":"x","_meta":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}'),
      Buffer.from(toolCall('{"name":"x","_meta":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}}')),
      true,
    ],
    ['a _meta that is not an object', () => toolCall('{"name":"x","_meta":"opaque"}'), Buffer.from(toolCall('{"name":"x","_meta":"opaque"}')), true],
    [
      'params appearing twice',
      () => '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"},"params":{"name":"b"}}',
      Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"},"params":{"name":"b"}}'),
      true,
    ],
    ['positional params (an array: not MCP)', () => toolCall('["x"]'), Buffer.from(toolCall('["x"]')), true],
    [
      'a batch (an array of messages)',
      () => `[${toolCall('{"name":"a"}')},${toolCall('{"name":"b"}')}]`,
      Buffer.from(`[${toolCall('{"name":"a"}')},${toolCall('{"name":"b"}')}]`),
      false,
    ],
    ['a body that is not JSON', () => '{"jsonrpc":"2.0","id":1,"method":"tools/call",', Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/call",'), true],
    ['bytes that are not UTF-8', () => new Uint8Array(invalidUtf8), invalidUtf8, true],
    [
      'a body over maxRequestBodyBytes (64 KiB here)',
      () => toolCall(`{"name":"big","arguments":{"blob":"${'x'.repeat(100_000)}"}}`),
      Buffer.from(toolCall(`{"name":"big","arguments":{"blob":"${'x'.repeat(100_000)}"}}`)),
      false,
    ],
    ['a ReadableStream body', () => new Blob([toolCall('{"name":"x"}')]).stream(), Buffer.from(toolCall('{"name":"x"}')), true],
  ])('%s', async (_label, body, expected, spanned, headers) => {
    instrument({ maxRequestBodyBytes: 64 * 1024 });
    await post(body(), headers);
    expect(lastReceived().body.equals(expected)).toBe(true);
    const spans = await settledSpans();
    expect(spans).toHaveLength(spanned ? 1 : 0);
    if (spanned) expect(spans[0].attributes['llm_otel.mcp.meta_injected'] ?? false).toBe(false);
  });

  test('undici.request with a caller-set content-length: untouched (the length the caller promised stays true)', async () => {
    instrument();
    const body = toolCall('{"name":"x"}');
    const response = await undici.request(server.url, {
      method: 'POST',
      headers: { ...SESSION_HEADERS, 'content-length': String(Buffer.byteLength(body)) },
      body,
    });
    await response.body.text();
    expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    const [span] = await mcpSpans(1);
    expect(span.attributes['llm_otel.mcp.meta_untouched']).toBe('the caller set content-length');
  });

  test('a body nested 100,000 levels deep is changed without a stack overflow, and only at params', async () => {
    instrument({ maxRequestBodyBytes: 1024 * 1024 });
    await post(deep);
    expectInserted(Buffer.from(deep), lastReceived().body, /"_meta":\{[^}]+\},/);
  });

  test('a Request object is sent untouched; its span comes from the dispatcher hook, which says why', async () => {
    instrument();
    const body = toolCall('{"name":"x"}');
    const response = await fetch(new Request(server.url, { method: 'POST', headers: SESSION_HEADERS, body }));
    await response.text();
    expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    const [span] = await mcpSpans(1);
    expect(span.attributes).toMatchObject({ 'llm_otel.hook': 'undici', 'llm_otel.mcp.meta_injected': false, 'gen_ai.tool.name': 'x' });
    expect(span.attributes['llm_otel.mcp.meta_untouched']).toMatch(/before it was sent/);
  });

  test('with propagation off (option or LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT=false), bodies are untouched and spans still made', async () => {
    const body = toolCall('{"name":"x"}');
    instrument({ mcp: { propagateTraceContext: false } });
    await post(body);
    expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    instrumentation!.disable();
    process.env.LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT = 'false';
    try {
      instrument();
      await post(body);
      expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    } finally {
      delete process.env.LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT;
    }
    const spans = await mcpSpans(2);
    expect(spans.map((span) => span.name)).toEqual(['tools/call x', 'tools/call x']);
  });

  test('a propagator that throws: the body is sent as it was and the call succeeds', async () => {
    instrument();
    const failing = {
      inject: () => {
        throw new Error('propagator down');
      },
      extract: (ctx: unknown) => ctx,
      fields: () => ['traceparent'],
    };
    propagation.disable();
    propagation.setGlobalPropagator(failing as unknown as Parameters<typeof propagation.setGlobalPropagator>[0]);
    try {
      const body = toolCall('{"name":"x"}');
      expect(JSON.parse(await post(body))).toMatchObject({ result: {} });
      expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
      expect(await mcpSpans(1)).toHaveLength(1);
    } finally {
      propagation.disable();
      provider.register();
    }
  });

  test('with MCP off, no span and no change', async () => {
    instrument({ mcp: { enabled: false } });
    await post(toolCall('{"name":"x"}'));
    expect(lastReceived().body.equals(Buffer.from(toolCall('{"name":"x"}')))).toBe(true);
    expect(await settledSpans()).toHaveLength(0);
  });

  test('fetch captured before set-up (the dispatcher hook sees a stream): untouched, traced', async () => {
    instrument();
    const body = toolCall('{"name":"x"}');
    await post(body, SESSION_HEADERS, capturedFetch);
    expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    const [span] = await mcpSpans(1);
    expect(span.attributes['llm_otel.hook']).toBe('undici');
  });
});

describe('malformed messages and hostile responses', () => {
  test('a malformed JSON-RPC message gives a span that says so, and the call goes through untouched', async () => {
    instrument();
    const body = '{"jsonrpc":"1.0","id":1,"method":"tools/call"}';
    const text = await post(body);
    expect(lastReceived().body.equals(Buffer.from(body))).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ result: {} });
    const [span] = await mcpSpans(1);
    expect(span.name).toBe('mcp');
    expect(span.attributes['llm_otel.parse_error']).toMatch(/jsonrpc/);
    expect(span.attributes['error.type']).toBe('_OTHER');
    expect(span.attributes['mcp.session.id']).toBe('session-1182');
  });

  test("non-JSON with MCP headers: a span with the parse problem and the server's -32700", async () => {
    instrument();
    const text = await post('not json at all');
    expect(JSON.parse(text)).toMatchObject({ error: { code: -32700 } });
    const [span] = await mcpSpans(1);
    expect(span.attributes['llm_otel.parse_error']).toBe('the request body is not JSON');
    expect(span.attributes['error.type']).toBe('-32700');
  });

  test('non-JSON without MCP-specific headers (only an SSE-friendly Accept) is not ours: no span', async () => {
    instrument();
    await post('hello', MCP_HEADERS);
    expect(await settledSpans()).toHaveLength(0);
  });

  test.each(['fetch hook', 'undici hook'])(
    'an SSE stream cut in the middle of its event (%s): the caller sees the same failure, the span an error',
    async (hook) => {
      const fetch = hook === 'fetch hook' ? () => globalThis.fetch : () => capturedFetch;
      const body = toolCall('{"name":"x"}');
      server.reply = 'sse-cut';
      const without = await capturedFetch(server.url, { method: 'POST', headers: SESSION_HEADERS, body })
        .then((r) => r.text())
        .then(
          () => 'resolved',
          (error: Error) => `${error.name}: ${error.message}`,
        );
      instrument();
      const withUs = await fetch()(server.url, { method: 'POST', headers: SESSION_HEADERS, body })
        .then((r) => r.text())
        .then(
          () => 'resolved',
          (error: Error) => `${error.name}: ${error.message}`,
        );
      expect(withUs).toBe(without);
      expect(withUs).not.toBe('resolved');
      const [span] = await mcpSpans(1);
      expect(span.status.code).toBe(2);
      expect(span.attributes['error.type']).toBeTruthy();
    },
  );

  test('SSE with a server notification before the response: the response is found, the span succeeds', async () => {
    instrument();
    server.reply = 'sse';
    const text = await post(toolCall('{"name":"x"}'));
    expect(text).toContain('notifications/progress');
    const [span] = await mcpSpans(1);
    expect(span.status.code).toBe(0);
    expect(span.attributes['error.type']).toBeUndefined();
  });

  test.each([
    ['JSON', 'json-huge', 'llm_otel.response.truncated'],
    ['SSE', 'sse-huge', 'llm_otel.parse_error'],
  ] as const)('a 3 MiB %s tool result over the bounds: the caller gets every byte, the span is bounded and not an error', async (_label, reply, marker) => {
    instrument({ maxResponseBodyBytes: 64 * 1024, maxStreamEventBytes: 64 * 1024, captureContent: true, maxContentLength: 1024 });
    server.reply = reply;
    const text = await post(toolCall('{"name":"x"}'));
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    const [span] = await mcpSpans(1);
    expect(span.attributes[marker]).toBeTruthy();
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.attributes['gen_ai.tool.call.result']).toBeUndefined();
  });

  test('content capture: arguments and result on the span, cut at maxContentLength', async () => {
    instrument({ captureContent: true, maxContentLength: 40 });
    await post(toolCall('{"name":"x","arguments":{"orderId":"1182","note":"a long note that goes past the bound"}}'));
    const [span] = await mcpSpans(1);
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('{"orderId":"1182","note":"a long note th');
    expect(span.attributes['gen_ai.tool.call.result']).toBe('{"content":[{"type":"text","text":"ok"}]}'.slice(0, 40));
    expect(span.attributes['llm_otel.content.truncated']).toBe(true);
  });
});
