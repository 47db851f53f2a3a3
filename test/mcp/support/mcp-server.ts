import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { propagation, ROOT_CONTEXT, SpanKind, type Tracer } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

export interface McpTestServer {
  url: string;
  /** The `params._meta` of every tools/call the server received, in order. */
  toolMetas: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A real MCP server (the SDK's McpServer over its StreamableHTTPServerTransport, stateful sessions)
 * on loopback. Its tool handler makes a SERVER span with the parent extracted from `params._meta`,
 * exported by an OpenTelemetry setup of its own to `otlpUrl`, as a separate service would.
 */
export async function startMcpServer(options: { otlpUrl: string; jsonResponse?: boolean }): Promise<McpTestServer> {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: options.otlpUrl }))] });
  const tracer = provider.getTracer('mcp-test-server');
  const toolMetas: Record<string, unknown>[] = [];
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });
  async function handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (known) return known.handleRequest(req, res);
    const body = JSON.parse(await readAll(req)) as unknown;
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      res.writeHead(400).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'no session' }, id: null }));
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: options.jsonResponse ?? false,
      onsessioninitialized: (id) => void transports.set(id, transport),
    });
    await mcpServer(tracer, toolMetas).connect(transport);
    await transport.handleRequest(req, res, body);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    toolMetas,
    async close() {
      for (const transport of transports.values()) await transport.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await provider.shutdown();
    },
  };
}

function mcpServer(tracer: Tracer, toolMetas: Record<string, unknown>[]): McpServer {
  const server = new McpServer({ name: 'orders', version: '1.0.0' });
  server.registerTool('lookup_order', { description: 'Looks an order up', inputSchema: { orderId: z.string() } }, async ({ orderId }, extra) => {
    const meta = (extra._meta ?? {}) as Record<string, unknown>;
    toolMetas.push(meta);
    // What an instrumented MCP server does: the client's context from params._meta is the parent.
    const parent = propagation.extract(ROOT_CONTEXT, meta);
    const span = tracer.startSpan('tools/call lookup_order', { kind: SpanKind.SERVER, attributes: { 'mcp.method.name': 'tools/call' } }, parent);
    span.end();
    return { content: [{ type: 'text', text: `order ${orderId}: shipped` }] };
  });
  server.registerTool('refund', { description: 'Refunds an order', inputSchema: { orderId: z.string() } }, async () => ({
    content: [{ type: 'text', text: 'refunds are closed' }],
    isError: true,
  }));
  server.registerResource('policy', 'policy://refunds', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'Refunds within 30 days.' }],
  }));
  server.registerPrompt('apology', { argsSchema: { name: z.string() } }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Apologise to ${name}` } }],
  }));
  return server;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
