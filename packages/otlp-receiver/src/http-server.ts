import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeJsonExport, decodeProtobufExport } from './decode';
import { decodeProtobufLogsExport } from './decode-logs';
import { decodeProtobufMetricsExport } from './decode-metrics';
import type { ExportSink } from './export-sink';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './otlp-schema';
import type { ReceivedSpan } from './types';

export const TRACES_PATH = '/v1/traces';
export const METRICS_PATH = '/v1/metrics';
export const LOGS_PATH = '/v1/logs';

/** google.rpc.Code of a body we could not read. */
const INVALID_ARGUMENT = 3;
/** google.rpc.Code of a body over the size bound. */
const RESOURCE_EXHAUSTED = 8;

const gunzipAsync = promisify(gunzip);

type BodyFormat = 'protobuf' | 'json';

/** How far past the bound an oversized body is still read (and dropped) so its 413 reaches the client. */
const DRAIN_FACTOR = 4;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The body was left unread: the connection cannot carry another request. */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `maxBodyBytes` bounds both the body as sent and what a gzip body inflates to, so a small compressed
 * body cannot become a large buffer.
 */
export async function startHttpServer(host: string, port: number, sink: ExportSink, maxBodyBytes: number): Promise<RunningHttpServer> {
  const server = createServer((request, response) => {
    handleRequest(request, response, sink, maxBodyBytes).catch((error: unknown) => {
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

async function handleRequest(request: IncomingMessage, response: ServerResponse, sink: ExportSink, maxBodyBytes: number): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (path !== TRACES_PATH && path !== METRICS_PATH && path !== LOGS_PATH) {
    request.resume();
    sendPlain(response, 404, `no OTLP endpoint at ${path.slice(0, 200)}; POST traces to ${TRACES_PATH}, metrics to ${METRICS_PATH}, logs to ${LOGS_PATH}`);
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
    // No encoding of the client's to answer in: a JSON Status, readable by a person with curl.
    sendStatus(response, 'json', 415, INVALID_ARGUMENT, 'content-type must be application/x-protobuf or application/json');
    return;
  }

  const signal = path === METRICS_PATH ? 'metrics' : path === LOGS_PATH ? 'logs' : 'traces';
  sink.record({ signal, transport: format === 'json' ? 'http/json' : 'http/protobuf', headers: plainHeaders(request) });
  if (signal !== 'traces') {
    await handleMetricsOrLogs(request, response, sink, format, signal, maxBodyBytes);
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
    const body = await readBody(request, maxBodyBytes);
    const plain = await decompress(body, request.headers['content-encoding'], maxBodyBytes);
    const limit = sink.refusesSize(plain.byteLength);
    if (limit !== undefined) throw new HttpFailure(413, `request of ${plain.byteLength} bytes is larger than the limit of ${limit}`);
    spans = format === 'json' ? decodeJsonExport(plain.toString('utf8')) : decodeProtobufExport(plain, 'http/protobuf');
  } catch (error) {
    sendFailure(response, format, error);
    return;
  }
  sink.accept(spans);
  if (format === 'json') {
    send(response, 200, 'application/json', '{}');
  } else {
    send(response, 200, 'application/x-protobuf', ExportTraceServiceResponse.encode({}).finish());
  }
}

/** Metrics and logs exports: protobuf only (what the OTLP exporters of llm-otel send), always accepted. */
async function handleMetricsOrLogs(
  request: IncomingMessage,
  response: ServerResponse,
  sink: ExportSink,
  format: BodyFormat,
  signal: 'metrics' | 'logs',
  maxBodyBytes: number,
): Promise<void> {
  if (format === 'json') {
    request.resume();
    sendStatus(response, format, 415, INVALID_ARGUMENT, `OTLP/JSON ${signal} are not decoded by this receiver; use application/x-protobuf`);
    return;
  }
  try {
    const plain = await decompress(await readBody(request, maxBodyBytes), request.headers['content-encoding'], maxBodyBytes);
    if (signal === 'metrics') sink.acceptMetrics(decodeProtobufMetricsExport(plain, 'http/protobuf'));
    else sink.acceptLogs(decodeProtobufLogsExport(plain, 'http/protobuf'));
  } catch (error) {
    sendFailure(response, format, error);
    return;
  }
  const answer = signal === 'metrics' ? ExportMetricsServiceResponse : ExportLogsServiceResponse;
  send(response, 200, 'application/x-protobuf', answer.encode({}).finish());
}

/** 413 (RESOURCE_EXHAUSTED) for a body over the bound, 415 for an unknown encoding, else 400 (INVALID_ARGUMENT). */
function sendFailure(response: ServerResponse, format: BodyFormat, error: unknown): void {
  const status = error instanceof HttpFailure ? error.status : 400;
  // The rest of the body is not read: say the connection ends, or the client's next request on this
  // keep-alive socket meets a reset (seen with undici's fetch after a 413).
  if (error instanceof HttpFailure && error.closeConnection) response.setHeader('connection', 'close');
  // protobufjs and JSON.parse messages name offsets and tokens, never more than a few bytes of the body.
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  sendStatus(response, format, status, status === 413 ? RESOURCE_EXHAUSTED : INVALID_ARGUMENT, message);
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

/**
 * Reads the body, up to `maxBodyBytes`. Beyond that it reads on without keeping anything, so the client
 * (which sends the whole body before it reads the answer, as the OTLP exporters do) gets the 413 rather
 * than a reset; past DRAIN_FACTOR times the bound it stops reading and the connection is closed.
 */
async function readBody(request: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  const drainLimit = maxBodyBytes * DRAIN_FACTOR;
  if (Number.isFinite(declared) && declared > drainLimit) {
    throw new HttpFailure(413, `body of ${declared} bytes is larger than the limit of ${maxBodyBytes}`, true);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > drainLimit) throw new HttpFailure(413, `body larger than the limit of ${maxBodyBytes} bytes`, true);
    if (size <= maxBodyBytes) chunks.push(buffer);
  }
  if (size > maxBodyBytes) throw new HttpFailure(413, `body of ${size} bytes is larger than the limit of ${maxBodyBytes}`);
  return Buffer.concat(chunks);
}

async function decompress(body: Buffer, contentEncoding: string | undefined, maxBodyBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding === 'gzip') {
    try {
      return await gunzipAsync(body, { maxOutputLength: maxBodyBytes });
    } catch (error) {
      // A gzip bomb: zlib stops at maxOutputLength with ERR_BUFFER_TOO_LARGE instead of inflating it all.
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw new HttpFailure(413, `gzip body inflates to more than the limit of ${maxBodyBytes} bytes`);
      throw new HttpFailure(400, `gzip body could not be inflated: ${String(error)}`);
    }
  }
  throw new HttpFailure(415, `unsupported content-encoding ${encoding.slice(0, 40)}; use gzip or none`);
}

/** An OTLP/HTTP error answer: a google.rpc.Status (gRPC code + message) in the request's own encoding. */
function sendStatus(response: ServerResponse, format: BodyFormat, httpStatus: number, code: number, message: string): void {
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
