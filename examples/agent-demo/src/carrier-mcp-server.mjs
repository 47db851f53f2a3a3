// The carrier's MCP server the demo's agent calls: the real @modelcontextprotocol/sdk server over
// Streamable HTTP on loopback, with one tool, `track_shipment`. It stands in for a service the agent
// does not own (another process in real life; here the same one, so the demo needs nothing else).
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const SHIPMENTS = {
  JD014600003828: { carrier: 'DHL', lastScan: 'Leipzig hub, 06:12', eta: 'tomorrow before noon' },
};

export const TRACK_SHIPMENT = {
  name: 'track_shipment',
  description: "Where a parcel is now, from the carrier's tracking.",
  inputSchema: { type: 'object', properties: { tracking_number: { type: 'string' } }, required: ['tracking_number'] },
};

function carrierServer() {
  const server = new Server({ name: 'carrier', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [TRACK_SHIPMENT] }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (request.params.name !== TRACK_SHIPMENT.name) return { isError: true, content: [{ type: 'text', text: `unknown tool ${request.params.name}` }] };
    const shipment = SHIPMENTS[request.params.arguments?.tracking_number] ?? { status: 'unknown tracking number' };
    return { content: [{ type: 'text', text: JSON.stringify(shipment) }], structuredContent: shipment };
  });
  return server;
}

/** Starts the server on 127.0.0.1 (any free port); `url` is its MCP endpoint. */
export async function startCarrierMcpServer() {
  // One session per client, kept until the client ends it (DELETE) or the server closes.
  const sessions = new Map();
  const http = createServer(async (request, response) => {
    try {
      const sessionId = request.headers['mcp-session-id'];
      let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (!transport) {
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => sessions.set(id, transport),
        });
        transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
        await carrierServer().connect(transport);
      }
      await transport.handleRequest(request, response);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500).end(String(error));
    }
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: new URL(`http://127.0.0.1:${http.address().port}/mcp`),
    async close() {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      await new Promise((resolve) => {
        http.close(resolve);
        http.closeAllConnections();
      });
    },
  };
}
