import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest';
import { diag } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { setupTelemetry } from '@llm-otel/setup';

// Issue 9 item 7 (and 8 item 3 from our side): with OTEL_LOG_LEVEL=debug the exporters print what they
// send; every line of our logger passes the masker, so a secret in a span never reaches stderr through
// diag, whatever object the exporter hands the logger.

const EMAIL = 'jane.roe@patients-example.org';
const KEY = 'sk-proj-Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  diag.disable();
});

test.each(['grpc', 'http/protobuf'] as const)('OTEL_LOG_LEVEL=debug over %s: the exporter debug lines are printed, masked', async (protocol) => {
  const lines: string[] = [];
  for (const method of ['error', 'warn', 'info', 'debug'] as const)
    vi.spyOn(console, method).mockImplementation((line: unknown) => void lines.push(String(line)));
  vi.stubEnv('OTEL_LOG_LEVEL', 'debug');
  const telemetry = setupTelemetry({
    handleSignals: false,
    protocol,
    endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
    resourceAttributes: { owner: EMAIL },
  });
  try {
    const span = telemetry.tracerProvider.getTracer('diag-test').startSpan(`lookup for ${EMAIL}`);
    span.setAttribute('note', `key ${KEY}`);
    span.end();
    await telemetry.forceFlush();
    await receiver.waitFor((spans) => spans.some((received) => received.name.startsWith('lookup for')));
  } finally {
    await telemetry.shutdown();
  }
  const output = lines.join('\n');
  expect(lines.length).toBeGreaterThan(0); // the logger printed (debug lines of the SDK and exporters)
  expect(output).not.toContain(EMAIL);
  expect(output).not.toContain(KEY);
});
