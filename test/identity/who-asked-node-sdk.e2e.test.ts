import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { startOtlpReceiver, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { LlmInstrumentation, withGenAiContext } from '@llm-otel/instrumentation';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { isLlmSpan } from '../support/telemetry';

// NodeSDK users: LlmSpanProcessor without a pseudonym key, and with PII masking off. The ids still never
// leave raw: `<USER>` / `<SESSION>`, and one diagnostic says how to turn pseudonyms on.
let standIn: ProviderStandIn;
let receiver: OtlpReceiver;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
  await standIn.close();
});

test('no pseudonym key, pii: false: <USER> / <SESSION> at the receiver and exactly one diagnostic', async () => {
  const warnings: string[] = [];
  diag.setLogger({ error: () => {}, warn: (message) => warnings.push(message), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  const sdk = new NodeSDK({
    serviceName: 'who-asked-node-sdk',
    instrumentations: [instrumentation],
    spanProcessors: [new LlmSpanProcessor(new OTLPTraceExporter({ url: receiver.httpUrl }), { pii: false, batch: { scheduledDelayMillis: 20 } })],
  });
  sdk.start();
  try {
    for (let i = 0; i < 3; i++) {
      await withGenAiContext({ userId: `raw-user-${i}`, sessionId: `raw-session-${i}` }, async () => {
        const response = await fetch(`${standIn.url}/v1/chat/completions`, {
          method: 'POST',
          body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
        });
        await response.json();
      });
    }
    await sdk.shutdown();
    const llm = (await receiver.waitFor((all) => all.filter(isLlmSpan).length >= 3, 20_000)).filter(isLlmSpan);
    expect(JSON.stringify(receiver.spans, (_key, value) => (typeof value === 'bigint' ? String(value) : value))).not.toMatch(/raw-(user|session)-/);
    for (const span of llm) {
      expect(span.attributes['user.id']).toBe('<USER>');
      expect(span.attributes['session.id']).toBe('<SESSION>');
    }
    expect(warnings.filter((message) => message.includes('no pseudonym key'))).toHaveLength(1);
  } finally {
    diag.disable();
    vi.restoreAllMocks();
  }
});
