import { createServer, connect, type Server } from 'node:net';
import { gzipSync } from 'node:zlib';
import { credentials, Client, Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCli } from './cli-child';
import { runViewToExit, startView, type ViewChild } from '../../../test/cli-view/view-child';

// What `llm-otel view` does with bad input: a port in use, clients sending garbage, huge, compressed
// or hostile bodies, and Ctrl-C. The viewer must answer each with a proper OTLP error and keep running.

const TRACE_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const MAX = 65_536;

function otlpJson(name: string, service = 'hostile'): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [
          {
            scope: { name: 'hostile-client' },
            spans: [
              {
                traceId: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex'),
                spanId: 'b7ad6b7169203331',
                name,
                kind: 1,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000100000000',
                status: {},
              },
            ],
          },
        ],
      },
    ],
  });
}

let view: ViewChild;

beforeAll(async () => {
  buildCli();
  view = await startView(['--settle', '100ms', '--max-request-bytes', String(MAX)]);
}, 60_000);

afterAll(async () => {
  await view?.stop('SIGKILL');
});

function post(body: Uint8Array | string, headers: Record<string, string>, path = '/v1/traces'): Promise<Response> {
  return fetch(`${view.httpBase}${path}`, { method: 'POST', headers, body });
}

async function grpcExport(body: Buffer, options: Record<string, number> = {}): Promise<ServiceError | null> {
  const client = new Client(new URL(view.grpcUrl).host, credentials.createInsecure(), options);
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        TRACE_PATH,
        (bytes: Buffer) => bytes,
        (bytes: Buffer) => bytes,
        body,
        new Metadata(),
        (error) => resolve(error ?? null),
      );
    });
  } finally {
    client.close();
  }
}

/** The viewer still prints a good trace sent after the bad input. */
async function expectStillViewing(marker: string): Promise<void> {
  const answer = await post(otlpJson(marker), { 'content-type': 'application/json' });
  expect(answer.status).toBe(200);
  await view.waitForStdout((text) => text.includes(marker), `the trace ${marker}`);
  expect(view.child.exitCode).toBeNull();
}

describe('llm-otel view: hostile OTLP/HTTP clients', () => {
  test('garbage protobuf and JSON: 400 with a google.rpc.Status in the request encoding (code 3 INVALID_ARGUMENT)', async () => {
    const protobuf = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), { 'content-type': 'application/x-protobuf' });
    expect(protobuf.status).toBe(400);
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status: field 1 (code) = 3.
    expect([...new Uint8Array(await protobuf.arrayBuffer()).slice(0, 2)]).toEqual([0x08, 3]);
    const json = await post('{"resourceSpans": [', { 'content-type': 'application/json' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: 3, message: expect.any(String) });
    const wrongShape = await post('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "not hex"}]}]}]}', { 'content-type': 'application/json' });
    expect(wrongShape.status).toBe(400);
    await expectStillViewing('after-garbage');
  });

  test('a body over --max-request-bytes: 413 with Status code 8 RESOURCE_EXHAUSTED, whether it says its length or streams it', async () => {
    const declared = await post(new Uint8Array(MAX + 1), { 'content-type': 'application/x-protobuf' });
    expect(declared.status).toBe(413);
    const chunked = await fetch(`${view.httpBase}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let index = 0; index < 4; index += 1) controller.enqueue(new Uint8Array(MAX / 2));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ code: 8 });
    await expectStillViewing('after-huge');
  });

  test('gzip: a compressed trace is read; a gzip bomb gets 413 without being inflated; broken gzip 400; another encoding 415', async () => {
    const good = await post(gzipSync(otlpJson('gzipped-trace')), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(good.status).toBe(200);
    await view.waitForStdout((text) => text.includes('gzipped-trace'), 'the gzipped trace');
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MB of zeros in about 50 kB
    expect(bomb.length).toBeLessThan(MAX);
    const bombed = await post(bomb, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(bombed.status).toBe(413);
    const broken = await post(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(broken.status).toBe(400);
    const brotli = await post(new Uint8Array([1, 2, 3]), { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' });
    expect(brotli.status).toBe(415);
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 3 });
    await expectStillViewing('after-gzip');
  });

  test('logs and metrics endpoints answer garbage with 400 too', async () => {
    for (const path of ['/v1/logs', '/v1/metrics']) {
      const answer = await post(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]), { 'content-type': 'application/x-protobuf' }, path);
      expect(answer.status, path).toBe(400);
    }
    await expectStillViewing('after-other-signals');
  });

  test('terminal escapes in a span name are shown, not obeyed', async () => {
    const answer = await post(otlpJson('evil\u001b[2J\u001b]0;pwned\u0007name', 'esc\u001b[31mservice'), { 'content-type': 'application/json' });
    expect(answer.status).toBe(200);
    const stdout = await view.waitForStdout((text) => text.includes('evil'), 'the evil trace');
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('\u0007');
    expect(stdout).toContain('evil�[2J�]0;pwned�name');
  });
});

describe('llm-otel view: hostile OTLP/gRPC clients', () => {
  test('garbage gets INVALID_ARGUMENT; a message over the bound, gzip-compressed or not, RESOURCE_EXHAUSTED; the viewer keeps running', async () => {
    expect((await grpcExport(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f])))?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((await grpcExport(Buffer.alloc(MAX + 16)))?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    // grpc.default_compression_algorithm 2 = gzip: a few hundred bytes on the wire, 10 MB inflated.
    const zeros = Buffer.concat([Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x05]), Buffer.alloc(10 * 1024 * 1024)]);
    expect((await grpcExport(zeros, { 'grpc.default_compression_algorithm': 2 }))?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    await expectStillViewing('after-grpc');
  });
});

describe('llm-otel view: ports and signals', () => {
  let taken: Server;
  let port: number;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  test.each([
    ['--grpc-port', 'gRPC'],
    ['--http-port', 'HTTP'],
  ])('%s in use: says which port, suggests a free one, exits 1 without a stack trace', async (flag, what) => {
    const other = flag === '--grpc-port' ? '--http-port' : '--grpc-port';
    const result = await runViewToExit([flag, String(port), other, '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^llm-otel view: port ${port} \\(OTLP/${what}\\) on 127\\.0\\.0\\.1 is in use.* Try ${flag} (\\d+)`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const suggested = Number(new RegExp(`Try ${flag} (\\d+)`).exec(result.stderr)![1]);
    expect(suggested).not.toBe(port);
    // The suggestion works.
    const retried = await startView([flag, String(suggested)]);
    expect((await retried.stop()).code).toBe(130);
  });

  test('Ctrl-C (SIGINT) exits at once with 130, even with a client in the middle of sending a body; SIGTERM with 143', async () => {
    const child = await startView([]);
    const socket = connect(Number(new URL(child.httpBase).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /v1/traces HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-protobuf\r\ncontent-length: 1000000\r\n\r\nabc');
    socket.on('error', () => undefined);
    const stopped = await child.stop('SIGINT');
    socket.destroy();
    expect(stopped.code).toBe(130);
    // Generous for a busy machine; a viewer that waited for the client would hang until the test's deadline.
    expect(stopped.ms).toBeLessThan(5000);
    expect(child.stderr()).toContain('llm-otel view: stopped');
    const terminated = await (await startView([])).stop('SIGTERM');
    expect(terminated.code).toBe(143);
  });

  test('--json into a reader that went away (| head -1): exits 141 (as by SIGPIPE) at the next trace, without a stack trace', async () => {
    const child = await startView(['--json', '--settle', '50ms']);
    child.child.stdout!.destroy();
    const answer = await fetch(`${child.httpBase}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: otlpJson('into-the-void'),
    });
    expect(answer.status).toBe(200);
    const exit = await new Promise<number | null>((resolve) => child.child.on('exit', (code) => resolve(code)));
    expect(exit).toBe(141);
    expect(child.stderr()).not.toMatch(/\n\s+at /);
  });

  test('a usage error exits 2 and names the option', async () => {
    const result = await runViewToExit(['--slower-than', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--slower-than: not a duration');
  });
});
