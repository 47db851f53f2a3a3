import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { setupTelemetry } from '@llm-otel/setup';
import { isLlmSpan } from './support/telemetry';

let standIn: ProviderStandIn;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
});
afterAll(async () => {
  await standIn.close();
});

test('setupTelemetry({ spool }): LLM spans made while the backend is down are masked, kept on disk and delivered once it is up', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-otel-spool-'));
  // Reserve a port, then keep it closed: the backend is down.
  const probe = await startOtlpReceiver();
  const endpoint = probe.grpcUrl;
  const port = Number(new URL(endpoint).port);
  await probe.close();

  const telemetry = setupTelemetry({
    serviceName: 'spool-test',
    endpoint,
    handleSignals: false,
    captureContent: true,
    batch: { scheduledDelayMillis: 20 },
    providers: [{ baseUrl: standIn.url, name: 'openai' }],
    spool: { dir },
  });
  try {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${standIn.url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Refund for jane.doe${i}@example.com please` }] }),
      });
      await response.json();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await telemetry.forceFlush();
    const spooled = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((name) => !name.includes('lock'));
    expect(spooled.length).toBeGreaterThan(0);
    // Masking happens before anything reaches the disk.
    for (const name of spooled) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).toString('latin1')).not.toContain('@example.com');
    }

    const receiver = await startOtlpReceiver({ grpcPort: port });
    try {
      const spans = await receiver.waitFor((all) => all.filter(isLlmSpan).length >= 5, 20_000);
      const llm = spans.filter(isLlmSpan);
      expect(new Set(llm.map((span) => span.spanId)).size).toBe(5);
      for (const span of llm) expect(String(span.attributes['gen_ai.input.messages'])).toContain('<EMAIL>');
    } finally {
      await telemetry.shutdown();
      await receiver.close();
    }
  } finally {
    await telemetry.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
