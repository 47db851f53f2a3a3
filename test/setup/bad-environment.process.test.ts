import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { runNode } from '../support/node-child';
import { isLlmSpan } from '../support/telemetry';

// Issue 9 item 8: a malformed OTEL_* / LLM_OTEL_* variable must not stop the application (the
// OpenTelemetry specification: warn and use the default). Before, OTEL_EXPORTER_OTLP_PROTOCOL=foo
// killed the app at the preload, while OTEL_BSP_MAX_QUEUE_SIZE=-3 was taken in silence. Real
// processes, the built package, the preload: `node --import @llm-otel/setup/register app.mjs`.

const appsDir = fileURLToPath(new URL('../apps/setup-config/', import.meta.url));
const PASSWORD = 'pw-Hunter2-secret';
const TOKEN = 'tok-9f8e7d6c5b4a-secret';

/** Each malformed value, and the variable the warning must name. */
const BAD: Record<string, string> = {
  OTEL_EXPORTER_OTLP_PROTOCOL: 'foo',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://app:${PASSWORD}@bad host:4317`,
  OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%ZZ${TOKEN},Bearer ${TOKEN}`,
  OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
  OTEL_BSP_MAX_QUEUE_SIZE: '-3',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '0',
  OTEL_BSP_SCHEDULE_DELAY: 'later',
  OTEL_BSP_EXPORT_TIMEOUT: '1e400',
  OTEL_METRIC_EXPORT_INTERVAL: 'hourly',
  OTEL_METRIC_EXPORT_TIMEOUT: '-1',
  LLM_OTEL_METRICS: 'maybe',
  LLM_OTEL_HANDLE_SIGNALS: 'perhaps',
  LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT: 'sometimes',
  OTEL_TRACES_SAMPLER: 'bogus',
  OTEL_TRACES_EXPORTER: 'zipkin',
  OTEL_METRICS_EXPORTER: 'prometheus',
  OTEL_SDK_DISABLED: 'nope',
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes please',
};

let receiver: OtlpReceiver;
let standIn: ProviderStandIn;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await receiver.close();
  await standIn.close();
});

describe.each([
  ['without OTEL_LOG_LEVEL (each warning once, as a process warning)', {}],
  ['with a malformed OTEL_LOG_LEVEL too (our masked logger at info)', { OTEL_LOG_LEVEL: 'loud' }],
])('every malformed variable at once, %s', (_label, extra: Record<string, string>) => {
  test('the app runs, exits 0, and stderr names each variable and quotes no secret', async () => {
    const exit = await runNode(['--import', '@llm-otel/setup/register', 'chat-once.mjs'], { cwd: appsDir, env: { ...BAD, ...extra } });
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout).toContain('app ran');
    for (const variable of [...Object.keys(BAD), ...Object.keys(extra)]) expect(exit.stderr, variable).toContain(variable);
    expect(exit.stderr).not.toContain(PASSWORD);
    expect(exit.stderr).not.toContain(TOKEN);
    expect(exit.stderr).not.toMatch(/URIError/);
  });
});

test('with malformed values the defaults apply: the spans still arrive', async () => {
  const serviceName = 'bad-env-defaults';
  const exit = await runNode(['--import', '@llm-otel/setup/register', 'chat-once.mjs'], {
    cwd: appsDir,
    env: {
      STAND_IN_URL: standIn.url,
      OTEL_SERVICE_NAME: serviceName,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'foo', // → grpc
      OTEL_BSP_MAX_QUEUE_SIZE: '-3', // → 2048
      OTEL_TRACES_SAMPLER: 'bogus', // → parentbased_always_on
      OTEL_TRACES_EXPORTER: 'zipkin', // → otlp
    },
  });
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
  const spans = await receiver.waitFor((all) => all.some((span) => isLlmSpan(span) && span.resource['service.name'] === serviceName));
  expect(spans.filter((span) => span.resource['service.name'] === serviceName).length).toBeGreaterThan(0);
});
