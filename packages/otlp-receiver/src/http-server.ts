import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeJsonExport, decodeProtobufExport } from './decode';
import { decodeProtobufMetricsExport } from './decode-metrics';
import type { ExportSink } from './export-sink';
import { ExportMetricsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './otlp-schema';
import type { ReceivedSpan } from './types';

export const TRACES_PATH = '/v1/traces';
export const METRICS_PATH = '/v1/metrics';

/** google.rpc.Code of a body we could not read. */
const INVALID_ARGUMENT = 3;

/** Bounds both the compressed body and what it inflates to. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);

type BodyFormat = 'protobuf' | 'json';

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(host: string, port: number, sink: ExportSink): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    handleRequest(request, response, sink).catch((error: unknown) => {
      // Only reached if writing the response itself failed (client gone); nothing left to tell anyone.
      response.destroy(error instanceof Error ? error : undefined);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging exports and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, sink: ExportSink): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== TRACES_PATH && path !== METRICS_PATH) {
    request.resume();
    sendPlain(response, 404, `no OTLP endpoint at ${path}; traces go to POST ${TRACES_PATH}, metrics to POST ${METRICS_PATH}`);
    return;
  }
  if (request.method !== 'POST') {
    request.resume();
    response.setHeader('allow', 'POST');
    sendPlain(response, 405, `${request.method ?? ''} not allowed; use POST`);
    return;
  }
  const format = bodyFormat(request.headers['content-type']);
  if (!format) {
    request.resume();
    sendPlain(response, 415, 'content-type must be application/x-protobuf or application/json');
    return;
  }

  sink.record({ signal: path === METRICS_PATH ? 'metrics' : 'traces', transport: format === 'json' ? 'http/json' : 'http/protobuf', headers: plainHeaders(request) });
  if (path === METRICS_PATH) {
    await handleMetrics(request, response, sink, format);
    return;
  }

  const outcome = sink.nextOutcome();
  if (outcome.kind === 'hang') {
    request.resume(); // let the client finish sending, then never answer
    return;
  }
  if (outcome.kind === 'fail') {
    request.resume();
    if (outcome.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(outcome.retryAfterSeconds));
    const message = `simulated backend failure (HTTP ${outcome.httpStatus})`;
    sendStatus(response, format, outcome.httpStatus, outcome.grpcStatus, message);
    return;
  }

  let spans: ReceivedSpan[];
  try {
    const body = await readBody(request);
    const plain = await decompress(body, request.headers['content-encoding']);
    const limit = sink.refusesSize(plain.byteLength);
    if (limit !== undefined) throw new HttpFailure(413, `request of ${plain.byteLength} bytes is larger than the limit of ${limit}`);
    spans = format === 'json' ? decodeJsonExport(plain.toString('utf8')) : decodeProtobufExport(plain, 'http/protobuf');
  } catch (error) {
    const status = error instanceof HttpFailure ? error.status : 400;
    const message = error instanceof Error ? error.message : String(error);
    sendStatus(response, format, status, INVALID_ARGUMENT, message);
    return;
  }
  sink.accept(spans);
  if (format === 'json') {
    send(response, 200, 'application/json', '{}');
  } else {
    send(response, 200, 'application/x-protobuf', ExportTraceServiceResponse.encode({}).finish());
  }
}

/** Metrics exports: protobuf only (what the OTLP metrics exporters of llm-otel send), always accepted. */
async function handleMetrics(request: IncomingMessage, response: ServerResponse, sink: ExportSink, format: BodyFormat): Promise<void> {
  if (format === 'json') {
    request.resume();
    sendStatus(response, format, 415, INVALID_ARGUMENT, 'OTLP/JSON metrics are not decoded by this receiver; use application/x-protobuf');
    return;
  }
  try {
    const plain = await decompress(await readBody(request), request.headers['content-encoding']);
    sink.acceptMetrics(decodeProtobufMetricsExport(plain, 'http/protobuf'));
  } catch (error) {
    const status = error instanceof HttpFailure ? error.status : 400;
    sendStatus(response, format, status, INVALID_ARGUMENT, error instanceof Error ? error.message : String(error));
    return;
  }
  send(response, 200, 'application/x-protobuf', ExportMetricsServiceResponse.encode({}).finish());
}

function plainHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

function bodyFormat(contentType: string | undefined): BodyFormat | undefined {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      throw new HttpFailure(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function decompress(body: Buffer, contentEncoding: string | undefined): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding === 'gzip') {
    try {
      return await gunzipAsync(body, { maxOutputLength: MAX_BODY_BYTES });
    } catch (error) {
      throw new HttpFailure(400, `gzip body could not be inflated: ${String(error)}`);
    }
  }
  throw new HttpFailure(415, `unsupported content-encoding ${encoding}`);
}

/** An OTLP/HTTP error answer: a google.rpc.Status (gRPC code + message) in the request's own encoding. */
function sendStatus(
  response: ServerResponse,
  format: BodyFormat,
  httpStatus: number,
  code: number,
  message: string,
): void {
  if (format === 'json') {
    send(response, httpStatus, 'application/json', JSON.stringify({ code, message }));
  } else {
    send(response, httpStatus, 'application/x-protobuf', RpcStatus.encode({ code, message }).finish());
  }
}

function sendPlain(response: ServerResponse, status: number, message: string): void {
  send(response, status, 'text/plain; charset=utf-8', message);
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Uint8Array): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
