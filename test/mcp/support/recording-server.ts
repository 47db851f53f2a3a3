import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Reply = 'json' | 'sse' | 'sse-cut' | 'accepted' | 'json-huge' | 'sse-huge';

export interface RecordingServer {
  url: string;
  received: ReceivedRequest[];
  /** How the next requests are answered. */
  reply: Reply;
  close(): Promise<void>;
}

/**
 * An MCP-shaped endpoint that keeps every request's exact bytes and headers: what the server
 * received is compared with what the caller sent, byte for byte. It answers like a Streamable HTTP
 * server: the JSON-RPC response with the request's id as JSON or as one SSE event, 202 for a
 * notification, or an SSE stream cut in the middle of its event.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const state: RecordingServer = { url: '', received: [], reply: 'json', close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.received.push({ headers: req.headers, body });
      let id: unknown = null;
      try {
        const parsed = JSON.parse(body.toString('utf8')) as { id?: unknown };
        id = parsed?.id;
      } catch {
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
      if (id === undefined || state.reply === 'accepted') {
        res.writeHead(202).end();
        return;
      }
      const text = state.reply.endsWith('huge') ? 'x'.repeat(3 * 1024 * 1024) : 'ok';
      const response = JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }] } });
      if (state.reply === 'json' || state.reply === 'json-huge') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(response);
      } else if (state.reply === 'sse' || state.reply === 'sse-huge') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\n\n`);
        res.end(`event: message\ndata: ${response}\n\n`);
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`event: message\ndata: ${response.slice(0, 20)}`, () => setTimeout(() => res.destroy(), 20));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  state.close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}
