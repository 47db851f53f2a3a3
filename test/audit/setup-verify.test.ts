import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, toOtlpJsonRequest, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { setupTelemetry, type OtlpProtocol } from '@llm-otel/setup';
import { buildCli, runCli } from '../../packages/cli/test/cli-child';
import { chatOnce } from '../support/chat-call';

// Issue 13: setupTelemetry with audit on → the real OTLP exporter (gRPC, http/protobuf) → the real
// receiver → Collector file-exporter JSON → the built `llm-otel verify` in a child process.

const KEY = 'the audit key of the set-up end-to-end test, >= 32 bytes';
const KEY_ID = 'e2e-1';
let receiver: OtlpReceiver;
let standIn: ProviderStandIn;
let scratch: string;
let keyFile: string;

beforeAll(async () => {
  buildCli();
  receiver = await startOtlpReceiver();
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-audit-e2e-'));
  keyFile = join(scratch, 'key');
  writeFileSync(keyFile, KEY);
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await standIn?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** LLM calls and app spans through setupTelemetry with the chain on; the Collector-format file of what arrived. */
async function exportedFile(protocol: OtlpProtocol, spool: boolean): Promise<{ file: string; lines: unknown[] }> {
  const service = `audit-e2e-${protocol.replace('/', '-')}-${spool ? 'spool' : 'bsp'}`;
  const telemetry = setupTelemetry({
    serviceName: service,
    endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl,
    protocol,
    providers: [{ baseUrl: standIn.url, name: 'openai' }],
    captureContent: true,
    handleSignals: false,
    batch: { scheduledDelayMillis: 20 },
    spool: spool ? { dir: join(scratch, `spool-${protocol.replace('/', '-')}`) } : false,
    audit: { key: KEY, keyId: KEY_ID },
  });
  for (let i = 0; i < 3; i++) await chatOnce(standIn.url, { messages: [{ role: 'user', content: `refund ${i} for jane.doe@example.com` }] });
  const tracer = telemetry.tracerProvider.getTracer('audit-e2e');
  for (let i = 0; i < 20; i++) tracer.startSpan(`step ${i}`, { attributes: { 'step.index': i, 'customer.email': 'jane.doe@example.com' } }).end();
  await telemetry.shutdown();
  const spans = await receiver.waitFor(
    (all) => all.some((span) => span.resource['service.name'] === service && span.attributes['llm_otel.chain.checkpoint'] === 'final'),
    20_000,
  );
  const mine = spans.filter((span) => span.resource['service.name'] === service);
  expect(mine.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat')).toHaveLength(3);
  expect(JSON.stringify(mine.map((span) => span.attributes))).not.toContain('jane.doe@example.com'); // masked before signing
  // One request per batch of 5 spans, as a Collector's file exporter writes one line per request.
  const lines = [];
  for (let at = 0; at < mine.length; at += 5) lines.push(toOtlpJsonRequest(mine.slice(at, at + 5)));
  const file = join(scratch, `${service}.jsonl`);
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return { file, lines };
}

const verify = (file: string) => runCli(['verify', '--key-file', `${KEY_ID}=${keyFile}`, file]);

describe.each([
  ['grpc', false],
  ['http/protobuf', false],
  ['grpc', true],
  ['http/protobuf', true],
] as const)('setupTelemetry({ audit }) over %s (spool: %s) → receiver → Collector JSON → llm-otel verify', (protocol, spool) => {
  it('verifies (exit 0); one attribute changed in the file → exit 1 naming that span', async () => {
    const { file, lines } = await exportedFile(protocol, spool);
    const clean = await verify(file);
    if (process.env.SHOW_AUDIT_E2E) console.log(clean.stdout);
    expect(clean.stderr).toBe('');
    expect(clean.status, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/OK/);
    expect(clean.stdout).toMatch(/final checkpoint/i);

    // Tamper with one attribute of one LLM span, as someone editing the store would.
    type Json = {
      resourceSpans: { scopeSpans: { spans: { spanId: string; name: string; attributes: { key: string; value: { stringValue?: string } }[] }[] }[] }[];
    };
    const tampered = JSON.parse(JSON.stringify(lines)) as Json[];
    const target = tampered
      .flatMap((line) => line.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
      .find((span) => span.name.startsWith('chat '))!;
    const model = target.attributes.find((attribute) => attribute.key === 'gen_ai.request.model')!;
    model.value = { stringValue: 'gpt-4o' };
    const tamperedFile = `${file}.tampered`;
    writeFileSync(tamperedFile, tampered.map((line) => JSON.stringify(line)).join('\n') + '\n');
    const result = await verify(tamperedFile);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('ALTERED: 1');
    expect(result.stdout).toContain(`span ${target.spanId}`);
    expect(result.stdout).toContain('attributes');
  }, 60_000);
});
