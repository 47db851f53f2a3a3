import { createRequire } from 'node:module';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { trace } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { setupTelemetry, type OtlpProtocol, type Telemetry } from '@llm-otel/setup';

// Issue 11 (export encoding): the trace exporters setupTelemetry() builds serialize with our encoder,
// not upstream's (upstream's serializeRequest is made to throw here: the stock exporters then export
// nothing), and still read the OTEL_EXPORTER_OTLP_* variables the stock exporters read: the per-signal
// headers and compression below reach the receiver over both protocols.

const fromSetup = createRequire(new URL('../../packages/setup/package.json', import.meta.url));
const { ProtobufTraceSerializer: upstream } = fromSetup('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
const upstreamSerialize = upstream.serializeRequest;

const VARIABLES = ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_COMPRESSION'];
let receiver: OtlpReceiver;
let telemetry: Telemetry | undefined;

beforeEach(async () => {
  upstream.serializeRequest = () => {
    throw new Error("upstream's serializer was used");
  };
  receiver = await startOtlpReceiver();
});

afterEach(async () => {
  upstream.serializeRequest = upstreamSerialize;
  for (const name of VARIABLES) delete process.env[name];
  await telemetry?.shutdown();
  telemetry = undefined;
  trace.disable();
  await receiver.close();
});

// grpc-js takes grpc-encoding out of the metadata before a handler sees it: compression is observed over http only.
test.each([
  ['grpc', undefined],
  ['http/protobuf', 'gzip'],
] as const)('%s: spans arrive through our serializer, with the headers (and compression) the variables ask for', async (protocol: OtlpProtocol, encoding) => {
  process.env.OTEL_EXPORTER_OTLP_TRACES_HEADERS = 'x-tenant=acme';
  process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = 'gzip';
  telemetry = setupTelemetry({
    serviceName: 'otlp-encoder',
    endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
    protocol,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
  });
  trace
    .getTracer('encoder-test')
    .startSpan('encoded by ours', { attributes: { content: 'é'.repeat(3000), count: 3 } })
    .end();
  await telemetry.forceFlush();
  const [span] = await receiver.waitForSpans(1);
  expect(span).toMatchObject({ name: 'encoded by ours', attributes: { content: 'é'.repeat(3000), count: 3 }, resource: { 'service.name': 'otlp-encoder' } });
  const request = receiver.requests.find((received) => received.signal === 'traces')!;
  expect(request.headers['x-tenant']).toBe('acme');
  expect(request.headers['content-encoding']).toBe(encoding);
});
