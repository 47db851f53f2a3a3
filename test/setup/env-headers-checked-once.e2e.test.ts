import { afterEach, expect, test, vi } from 'vitest';
import { trace } from '@opentelemetry/api';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { setupTelemetry, type Telemetry } from '@llm-otel/setup';

// Set-up reads OTEL_EXPORTER_OTLP_HEADERS, checks each header against the transport and drops (with
// a warning naming the variable) one that cannot be sent. The stock exporters used to read the same
// variable again and merge it back: over gRPC a non-ASCII value threw out of setupTelemetry() with
// the value in the message, so the app never started; over http/protobuf every export failed.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const TOKEN = 'tok€' + 'Xq9Zr2Lm4Np6Tv8Wb1Yc';

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`${protocol}: a header no transport can carry is dropped once, for good; the others are sent and the spans and metrics arrive`, async () => {
    const receiver = await startOtlpReceiver();
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', `x-bad=${encodeURIComponent(TOKEN)},x-tenant=acme`);
    vi.stubEnv('LLM_OTEL_METRICS', 'true');
    const warnings: string[] = [];
    vi.spyOn(process, 'emitWarning').mockImplementation(((message: string | Error) => void warnings.push(String(message))) as typeof process.emitWarning);
    let telemetry: Telemetry | undefined;
    try {
      telemetry = setupTelemetry({
        serviceName: `headers-${protocol}`,
        endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
        protocol,
        handleSignals: false,
        batch: { scheduledDelayMillis: 20 },
      });
      telemetry.tracerProvider.getTracer('app').startSpan('checked headers').end();
      await telemetry.forceFlush();
      await receiver.waitFor((spans) => spans.some((span) => span.name === 'checked headers'), 10_000);
    } finally {
      await telemetry?.shutdown();
      await receiver.close();
    }
    const traceRequests = receiver.requests.filter((request) => request.signal === 'traces');
    expect(traceRequests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(request.headers['x-tenant']).toBe('acme');
      expect(request.headers['x-bad']).toBeUndefined();
    }
    expect(warnings.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_HEADERS header 'x-bad'/);
    expect(warnings.join('\n')).not.toContain('Xq9Zr2Lm4Np6');
  });
}
