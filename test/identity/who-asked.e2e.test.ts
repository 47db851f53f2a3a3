import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { trace } from '@opentelemetry/api';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { createPseudonymiser, setupTelemetry, withGenAiContext } from '@llm-otel/setup';
import { loadOpenAI } from '../support/sdk-versions';
import { isLlmSpan } from '../support/telemetry';
import { pseudonymsInChildProcesses } from './pseudonym-children';

// Who asked, end to end: the ids go in through withGenAiContext, and only pseudonyms come out, at the
// OTLP receiver, in the spool files written while the backend was down, and in the metrics.
const KEY = 'identity-e2e-pseudonym-key-0123456789abcdef';
const USER = 'customer-7781-raw-id';
const SESSION = 'session-4f1e-raw-id';

let standIn: ProviderStandIn;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await standIn.close();
});

test('user.id / session.id leave the process as pseudonyms: never raw in spool files, at the receiver or in metrics', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-otel-identity-'));
  // Reserve a port and keep it closed: the backend is down, so the spans wait in the spool.
  const probe = await startOtlpReceiver();
  const port = Number(new URL(probe.grpcUrl).port);
  await probe.close();
  const telemetry = setupTelemetry({
    serviceName: 'who-asked',
    endpoint: `http://127.0.0.1:${port}`,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
    providers: [{ baseUrl: standIn.url, name: 'openai' }],
    spool: { dir },
    metrics: { exportIntervalMillis: 100 },
    pseudonyms: { key: KEY, keyId: 'k1' },
  });
  try {
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    await withGenAiContext({ userId: USER, sessionId: SESSION, conversationId: 'ticket-1182' }, async () => {
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my refund?' }] });
      // Another library's span that names the user the semconv way is pseudonymised too.
      trace.getTracer('app').startActiveSpan('handle ticket', (span) => {
        span.setAttribute('user.id', USER);
        span.end();
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await telemetry.forceFlush();
    const files = fs
      .readdirSync(dir, { recursive: true })
      .map((name) => path.join(dir, String(name)))
      .filter((file) => fs.statSync(file).isFile());
    expect(files.length).toBeGreaterThan(0);
    const expectedUser = createPseudonymiser(KEY, { keyId: 'k1' })(USER);
    let pseudonymOnDisk = false;
    for (const file of files) {
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes).not.toContain(USER);
      expect(bytes).not.toContain(SESSION);
      if (bytes.includes(expectedUser)) pseudonymOnDisk = true;
    }
    expect(pseudonymOnDisk).toBe(true);

    const receiver = await startOtlpReceiver({ grpcPort: port });
    try {
      const spans = await receiver.waitFor((all) => all.some(isLlmSpan) && all.some((span) => span.name === 'handle ticket'), 20_000);
      await receiver.waitForMetrics((metrics) => metrics.length > 0, 20_000);
      const everything = JSON.stringify({ spans: receiver.spans, metrics: receiver.metrics }, (_key, value) =>
        typeof value === 'bigint' ? String(value) : value,
      );
      expect(everything).not.toContain(USER);
      expect(everything).not.toContain(SESSION);
      const llm = spans.find(isLlmSpan)!;
      expect(llm.attributes['user.id']).toBe(expectedUser);
      expect(llm.attributes['session.id']).toBe(createPseudonymiser(KEY, { keyId: 'k1', type: 'SESSION' })(SESSION));
      expect(llm.attributes['gen_ai.conversation.id']).toBe('ticket-1182');
      // The request fingerprint survives masking (a hex digest is no finding).
      expect(llm.attributes['llm_otel.request.fingerprint']).toMatch(/^[0-9a-f]{64}$/);
      expect(spans.find((span) => span.name === 'handle ticket')!.attributes['user.id']).toBe(expectedUser);

      // The same key in two other processes gives the same pseudonym, through the masker the pipeline uses.
      const [first, second] = await pseudonymsInChildProcesses(KEY, 'k1', USER);
      expect(first).toBe(expectedUser);
      expect(second).toBe(expectedUser);
    } finally {
      await telemetry.shutdown();
      await receiver.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
