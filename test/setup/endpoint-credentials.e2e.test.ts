import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry, type SetupOptions } from '@llm-otel/setup';
import { chatOnce } from '../support/chat-call';

// Issue 8 item 7: endpoint userinfo was sent as Basic auth by the stock http exporter, dropped by the
// spool's sender and dropped silently for gRPC. One rule now, for every path: `user:pass@` becomes
// `authorization: Basic …` unless an authorization header is given, and never stays in the URL.

const BASIC = `Basic ${Buffer.from('tenant-7:p@ss:word').toString('base64')}`;

let receiver: OtlpReceiver;
let spoolRoot: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  spoolRoot = mkdtempSync(join(tmpdir(), 'llm-otel-credentials-'));
});
afterAll(async () => {
  await receiver.close();
  rmSync(spoolRoot, { recursive: true, force: true });
});

function withUserinfo(url: string): string {
  const parsed = new URL(url);
  parsed.username = 'tenant-7';
  parsed.password = 'p%40ss%3Aword';
  return parsed.href;
}

/** Sets up, ends one span, flushes, and returns the headers of the trace exports that arrived for it. */
async function exportOneSpan(name: string, options: SetupOptions) {
  const telemetry = setupTelemetry({ handleSignals: false, batch: { scheduledDelayMillis: 20 }, ...options });
  try {
    expect(telemetry.exporter.url).not.toMatch(/tenant-7|word|@/);
    telemetry.tracerProvider.getTracer('credentials-test').startSpan(name).end();
    await telemetry.forceFlush();
    await receiver.waitFor((spans) => spans.some((span) => span.name === name));
  } finally {
    await telemetry.shutdown();
  }
  return receiver.requests.filter((request) => request.signal === 'traces').map((request) => request.headers);
}

const paths = [
  { path: 'stock http/protobuf exporter', protocol: 'http/protobuf' as const, spool: false },
  { path: 'stock gRPC exporter', protocol: 'grpc' as const, spool: false },
  { path: "the spool's http/protobuf sender", protocol: 'http/protobuf' as const, spool: true },
  { path: "the spool's gRPC sender", protocol: 'grpc' as const, spool: true },
];

describe.each(paths)('$path', ({ protocol, spool }) => {
  const base = () => (protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl);
  const spoolOption = (name: string) => (spool ? { dir: join(spoolRoot, name) } : false);

  test('endpoint userinfo arrives as authorization: Basic', async () => {
    receiver.clear();
    const name = `userinfo-${protocol}-${spool}`;
    const headers = await exportOneSpan(name, { endpoint: withUserinfo(base()), protocol, spool: spoolOption(name) });
    expect(headers.length).toBeGreaterThan(0);
    for (const received of headers) expect(received.authorization).toBe(BASIC);
  });

  test('an explicit authorization header wins over the userinfo', async () => {
    receiver.clear();
    const name = `explicit-${protocol}-${spool}`;
    const headers = await exportOneSpan(name, {
      endpoint: withUserinfo(base()),
      protocol,
      spool: spoolOption(name),
      headers: { Authorization: 'Bearer explicit-token' },
    });
    expect(headers.length).toBeGreaterThan(0);
    for (const received of headers) expect(received.authorization).toBe('Bearer explicit-token');
  });
});

test('metrics carry the same authorization as spans', async () => {
  const standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  receiver.clear();
  const telemetry = setupTelemetry({ handleSignals: false, endpoint: withUserinfo(receiver.grpcUrl), metrics: { exportIntervalMillis: 600_000 } });
  try {
    await chatOnce(standIn.url);
    await telemetry.forceFlush();
    await receiver.waitForMetrics((metrics) => metrics.length > 0);
  } finally {
    await telemetry.shutdown();
    await standIn.close();
  }
  const metricsRequests = receiver.requests.filter((request) => request.signal === 'metrics');
  expect(metricsRequests.length).toBeGreaterThan(0);
  for (const request of metricsRequests) expect(request.headers.authorization).toBe(BASIC);
});
