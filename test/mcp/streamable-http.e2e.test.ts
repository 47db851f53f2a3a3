import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ReceivedSpan } from '@llm-otel/otlp-receiver';
import { telemetryToReceiver, type TelemetryUnderTest } from '../support/telemetry';
import { startMcpServer, type McpTestServer } from './support/mcp-server';

// The real MCP SDK client and server over loopback (Streamable HTTP), the real OTLP exporter and
// receiver: MCP CLIENT spans from both hooks, and the server's span in the same trace through
// params._meta.
const capturedFetch = globalThis.fetch; // as a client handed `fetch` before set-up holds it
let otel: TelemetryUnderTest;
let sseServer: McpTestServer;
let jsonServer: McpTestServer;

beforeAll(async () => {
  otel = await telemetryToReceiver({ protocol: 'http/protobuf' });
  sseServer = await startMcpServer({ otlpUrl: otel.receiver.httpUrl });
  jsonServer = await startMcpServer({ otlpUrl: otel.receiver.httpUrl, jsonResponse: true });
});
afterAll(async () => {
  await sseServer?.close();
  await jsonServer?.close();
  await otel?.close();
});

async function session(url: string, fetch?: typeof globalThis.fetch) {
  const client = new Client({ name: 'refunds-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), fetch ? { fetch } : undefined);
  await client.connect(transport);
  return { client, transport };
}

async function spansOf(serviceName: string | undefined, count: number, where: (span: ReceivedSpan) => boolean): Promise<ReceivedSpan[]> {
  await otel.telemetry.forceFlush();
  const all = await otel.receiver.waitFor((spans) => spans.filter(where).length >= count, 10_000);
  return all.filter(where).filter((span) => serviceName === undefined || span.resource['service.name'] === serviceName);
}

const inSession = (id: string) => (span: ReceivedSpan) => span.attributes['mcp.session.id'] === id;

describe.each([
  ['SSE responses', () => sseServer],
  ['JSON responses', () => jsonServer],
])('the MCP SDK client through global fetch (%s)', (_label, server) => {
  test('every request and notification is a CLIENT span named by the MCP conventions, with its session', async () => {
    const { client, transport } = await session(server().url);
    const sessionId = transport.sessionId!;
    expect(sessionId).toBeTruthy();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['lookup_order', 'refund']);
    const looked = await client.callTool({ name: 'lookup_order', arguments: { orderId: '1182' } });
    expect(looked.content).toEqual([{ type: 'text', text: 'order 1182: shipped' }]);
    const refused = await client.callTool({ name: 'refund', arguments: { orderId: '1182' } });
    expect(refused.isError).toBe(true);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).resolves.toMatchObject({ isError: true });
    expect((await client.readResource({ uri: 'policy://refunds' })).contents[0]).toMatchObject({ text: 'Refunds within 30 days.' });
    expect((await client.getPrompt({ name: 'apology', arguments: { name: 'Ada' } })).messages).toHaveLength(1);
    await expect(client.getPrompt({ name: 'no_such_prompt' })).rejects.toThrow();
    await client.close();

    // initialize carries no session header yet: it is in the response's headers.
    const spans = await spansOf(undefined, 9, (span) => span.kind === 3 && span.attributes['mcp.session.id'] === sessionId);
    const byName = (name: string) => spans.filter((span) => span.name === name);
    expect(spans.map((span) => span.name).sort()).toEqual(
      [
        'initialize',
        'notifications/initialized',
        'tools/list',
        'tools/call lookup_order',
        'tools/call refund',
        'tools/call no_such_tool',
        'resources/read',
        'prompts/get apology',
        'prompts/get no_such_prompt',
      ].sort(),
    );
    const [initialize] = byName('initialize');
    expect(initialize.attributes).toMatchObject({
      'mcp.method.name': 'initialize',
      'jsonrpc.request.id': '0',
      'network.transport': 'tcp',
      'llm_otel.hook': 'fetch',
    });
    expect(initialize.attributes['mcp.protocol.version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [tool] = byName('tools/call lookup_order');
    expect(tool.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'server.address': '127.0.0.1',
      'llm_otel.mcp.meta_injected': true,
      'http.response.status_code': 200,
    });
    expect(tool.attributes['mcp.protocol.version']).toBe(initialize.attributes['mcp.protocol.version']);
    expect(tool.status.code).not.toBe(2);
    // Content capture is off: neither arguments nor results.
    expect(tool.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(tool.attributes['gen_ai.tool.call.result']).toBeUndefined();
    expect(byName('tools/call refund')[0]).toMatchObject({ attributes: { 'error.type': 'tool_error' }, status: { code: 2 } });
    // The SDK server answers an unknown tool with an isError result (SDK >= 1.2x), an unknown prompt with -32602.
    expect(byName('tools/call no_such_tool')[0].attributes['error.type']).toBe('tool_error');
    expect(byName('prompts/get no_such_prompt')[0]).toMatchObject({
      attributes: { 'error.type': '-32602', 'rpc.response.status_code': '-32602' },
      status: { code: 2 },
    });
    expect(byName('prompts/get apology')[0].attributes['gen_ai.prompt.name']).toBe('apology');
    expect(byName('resources/read')[0].attributes['mcp.resource.uri']).toBe('policy://refunds');
    const [initialized] = byName('notifications/initialized');
    expect(initialized.attributes['jsonrpc.request.id']).toBeUndefined();
    expect(initialized.attributes['http.response.status_code']).toBe(202);

    // The server's span, made from the context it extracted from params._meta, is the tool span's child.
    const serverSpans = await spansOf(undefined, 1, (span) => span.kind === 2 && span.parentSpanId === tool.spanId);
    expect(serverSpans[0].traceId).toBe(tool.traceId);
  });
});

test('a client holding fetch from before set-up is traced by the undici hook; its body is sent as it was', async () => {
  const before = sseServer.toolMetas.length;
  const { client, transport } = await session(sseServer.url, capturedFetch);
  await client.callTool({ name: 'lookup_order', arguments: { orderId: '7' } });
  const sessionId = transport.sessionId!;
  await client.close();
  const [tool] = await spansOf(undefined, 1, (span) => inSession(sessionId)(span) && span.name === 'tools/call lookup_order');
  expect(tool.attributes['llm_otel.hook']).toBe('undici');
  expect(tool.attributes['llm_otel.mcp.meta_injected']).toBe(false);
  expect(sseServer.toolMetas[before]).not.toHaveProperty('traceparent');
});
