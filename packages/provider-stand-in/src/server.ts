import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendScripted } from './respond';
import { RouteTable } from './routes';
import { scenarioRoutes } from './scenarios';
import type { ProviderStandIn, ProviderStandInOptions, RecordedRequest, ScriptedResponse } from './types';

/** Lets 10k clients connect at once; the kernel caps it at net.core.somaxconn. */
const LISTEN_BACKLOG = 65_535;

/**
 * Starts the stand-in on 127.0.0.1 (port 0 unless given). It holds many concurrent streaming responses
 * cheaply: no per-request timers except a stream's own chunk delay, keep-alive connections, no
 * connection limit.
 */
export async function startProviderStandIn(options: ProviderStandInOptions = {}): Promise<ProviderStandIn> {
  const host = options.host ?? '127.0.0.1';
  const record = options.recordRequests ?? true;
  const routes = new RouteTable();
  const requests: RecordedRequest[] = [];
  for (const route of options.scenario ? scenarioRoutes(options.scenario) : []) routes.add(route);

  const server = createServer(
    {
      // A request's headers and body must arrive in time; the response (a long stream) has no limit.
      headersTimeout: 60_000,
      requestTimeout: 120_000,
      keepAliveTimeout: 65_000,
      noDelay: true,
    },
    (incoming, response) => {
      handle(incoming, response).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    },
  );

  async function handle(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers: flattenHeaders(incoming.headers),
      body: await readBody(incoming),
    };
    if (record) requests.push(request);
    let scripted: ScriptedResponse | undefined;
    try {
      scripted = routes.answer(request);
    } catch (error) {
      scripted = errorResponse(500, `stand-in: the route for ${request.method} ${request.path} threw: ${String(error)}`);
    }
    await sendScripted(response, scripted ?? errorResponse(404, `stand-in: no route for ${request.method} ${request.path}`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    requests,
    script: (route) => routes.add(route),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging and streaming responses and idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** An error body in the shape OpenAI-compatible SDKs parse. */
function errorResponse(status: number, message: string): ScriptedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }),
  };
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
