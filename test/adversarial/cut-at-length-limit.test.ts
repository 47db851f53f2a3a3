import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { trace } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { setupTelemetry, type Telemetry } from '@llm-otel/setup';
import { fakeSecret } from '../../packages/pii/test/support/fake-secrets';

// OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT makes the SDK cut every attribute value when it is set, before
// any processor (masking included) sees it. A secret cut anywhere must still not reach the backend:
// each planted secret is cut at every offset, in span and event attributes, through setupTelemetry()
// and the real exporter. A leak is any 8 characters of the secret arriving.

const LIMIT = 40;
const SECRETS: Record<string, { text: string; secret: string }> = {};
function plant(kind: string, secret: string, text = `${kind} ${secret}`): void {
  SECRETS[kind] = { text, secret };
}
plant('openai', fakeSecret.openaiProject('cut'));
plant('anthropic', fakeSecret.anthropic('cut'));
plant('github', fakeSecret.githubPat('cut'));
plant('google', fakeSecret.google('cut'));
plant('stripe', fakeSecret.stripeLive('cut'));
plant('gitlab', fakeSecret.gitlabPat('cut'));
plant('huggingface', fakeSecret.huggingFace('cut'));
plant('npm', fakeSecret.npm('cut'));
plant('slack', fakeSecret.slackBot('cut'));
const password = fakeSecret.opaque('cutpw', 24);
plant('url-password', password, `db postgres://app:${password}@db.internal:5432/app`);
const bearer = fakeSecret.opaque('cutbearer', 40);
plant('bearer', bearer, `Authorization: Bearer ${bearer}`);
// Cut before its `@`, an address is a bare word (`jane.doe`) no rule can tell from text: out of
// scope (docs/threat-model.md). From the `@` on, nothing of it may arrive.
plant('email', '@patients-example.org', 'write to jane.doe@patients-example.org');
plant('card', '4111 1111 1111 1111', 'paid with 4111 1111 1111 1111');

let receiver: OtlpReceiver;
let telemetry: Telemetry;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  vi.stubEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', String(LIMIT));
  telemetry = setupTelemetry({ endpoint: receiver.grpcUrl, handleSignals: false, batch: { scheduledDelayMillis: 20 } });
});
afterAll(async () => {
  await telemetry.shutdown();
  await receiver.close();
  vi.unstubAllEnvs();
});

function pieces(secret: string, length = 8): string[] {
  const core = secret.replaceAll(' ', '');
  return Array.from({ length: Math.max(0, core.length - length + 1) }, (_, i) => core.slice(i, i + length));
}

test('no secret cut at the attribute length limit arrives, wherever the cut falls', async () => {
  for (const [kind, { text }] of Object.entries(SECRETS)) {
    const span = trace.getTracer('app').startSpan(`cut ${kind}`);
    const event: Record<string, string> = {};
    for (let pad = 0; pad < LIMIT; pad++) {
      span.setAttribute(`cut.${pad}`, `${'x'.repeat(pad)} ${text}`);
      event[`cut.${pad}`] = `${'y'.repeat(pad)} ${text}`;
    }
    span.addEvent('cut', event);
    span.end();
  }
  await telemetry.forceFlush();
  const spans = await receiver.waitFor((all) => all.filter((span) => span.name.startsWith('cut ')).length === Object.keys(SECRETS).length, 10_000);
  const leaks: string[] = [];
  for (const [kind, { secret }] of Object.entries(SECRETS)) {
    const span = spans.find((candidate) => candidate.name === `cut ${kind}`)!;
    const values = [...Object.values(span.attributes), ...span.events.flatMap((e) => Object.values(e.attributes))]
      .map(String)
      .map((value) => value.replaceAll(' ', ''));
    for (const value of values) {
      const piece = pieces(secret).find((candidate) => value.includes(candidate));
      if (piece) leaks.push(`${kind}: ${value}`);
    }
  }
  expect(leaks).toEqual([]);
});
