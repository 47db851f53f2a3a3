import { afterEach, beforeAll, afterAll, describe, expect, test, vi } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { createMasker } from '@llm-otel/pii';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry } from '@llm-otel/setup';
import { chatOnce } from '../support/chat-call';
import { isLlmSpan } from '../support/telemetry';

// Issue 8 item 1: with metrics on, the resource (options, OTEL_RESOURCE_ATTRIBUTES,
// process.command_args) reached the metrics backend unmasked while the spans showed it masked. The
// real OTLP metric exporters (gRPC and http/protobuf) export into the real receiver, which decodes
// metrics; the spans and the metrics must carry the same, masked resource, and metric attributes
// that carry the caller's strings are masked too.

const EMAIL_IN_OPTIONS = 'ops.lead@clinic-example.org';
const EMAIL_IN_ENV = 'on.call@hospital-example.org';
const KEY_IN_ENV = 'sk-proj-Q3vXm9TzL2pR8sWk4NbY7cHd1FgJ6aE0uVo5';
const KEY_IN_ARGS = 'sk-ant-api03-Zp7Lq2Wm9Xc4Vb8Nn3Tr6Ys1Kd5Hg0Jf-AbCdEf';
const EMAIL_IN_MODEL = 'ft:gpt-4o-mini:patient.x@example.com';
const PLANTED = [EMAIL_IN_OPTIONS, EMAIL_IN_ENV, KEY_IN_ENV, KEY_IN_ARGS, 'patient.x@example.com'];

let standIn: ProviderStandIn;
let receiver: OtlpReceiver;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await standIn.close();
  await receiver.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

test('the planted values are ones the masker finds (else this test could not fail)', () => {
  const masker = createMasker();
  for (const value of PLANTED) expect(masker.maskString(`x ${value} y`)).not.toContain(value);
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  describe(`metrics over OTLP ${protocol}`, () => {
    test('spans and metrics carry the same masked resource; metric attributes are masked', async () => {
      receiver.clear();
      standIn.script(realisticChatRoute());
      const serviceName = `metrics-masking-${protocol}`;
      vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', `deployment.owner=${encodeURIComponent(EMAIL_IN_ENV)},vendor.token=${KEY_IN_ENV}`);
      const argvBefore = [...process.argv];
      process.argv.push(`--api-key=${KEY_IN_ARGS}`, '--verbose');
      let telemetry: ReturnType<typeof setupTelemetry> | undefined;
      try {
        telemetry = setupTelemetry({
          serviceName,
          resourceAttributes: { 'team.contact': EMAIL_IN_OPTIONS },
          endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
          protocol,
          handleSignals: false,
          metrics: { exportIntervalMillis: 600_000 },
          // gen_ai.request.model is on the default allow-list (never scanned, on spans and metrics
          // alike); with an empty list it is scanned, and the metric attribute must be masked as the
          // span's is: the same masker configuration for both.
          pii: { allowedKeys: [] },
        });
      } finally {
        process.argv.splice(0, process.argv.length, ...argvBefore);
      }
      try {
        await chatOnce(standIn.url, { model: EMAIL_IN_MODEL });
        await telemetry.forceFlush();
        const spans = await receiver.waitFor((all) => all.some((span) => isLlmSpan(span) && span.resource['service.name'] === serviceName));
        const metrics = await receiver.waitForMetrics((all) => all.some((metric) => metric.name === 'gen_ai.client.operation.duration'));
        const span = spans.find((candidate) => isLlmSpan(candidate) && candidate.resource['service.name'] === serviceName)!;
        const duration = metrics.find((metric) => metric.name === 'gen_ai.client.operation.duration')!;
        expect(duration.transport).toBe(protocol);
        // The attributes came through at all (the planted ones are there, masked), and are identical.
        expect(duration.resource).toEqual(span.resource);
        expect(duration.resource['service.name']).toBe(serviceName);
        expect(Object.keys(duration.resource)).toEqual(expect.arrayContaining(['team.contact', 'deployment.owner', 'vendor.token', 'process.command_args']));
        expect(duration.dataPoints.length).toBeGreaterThan(0);
        const exported = JSON.stringify({
          metrics: receiver.metrics.map(({ resource, dataPoints }) => ({ resource, dataPoints: dataPoints.map((point) => point.attributes) })),
          span: { resource: span.resource, attributes: span.attributes },
        });
        for (const value of PLANTED) expect(exported, value).not.toContain(value);
        expect(duration.dataPoints[0]?.attributes['gen_ai.request.model']).toBe(span.attributes['gen_ai.request.model']);
      } finally {
        await telemetry.shutdown();
      }
    });
  });
}
