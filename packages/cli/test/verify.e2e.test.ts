import { createChainedExportProcessor, IntegrityChainSpanProcessor } from '@llm-otel/audit';
import { startOtlpReceiver, toOtlpJsonRequest, type OtlpReceiver, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJaegerV1, toJaegerV3, toTempoV1, toTempoV2, type OtlpRequest } from './backend-shapes';
import { buildCli, runCli } from './cli-child';

const KEY = 'an-audit-key-of-at-least-32-bytes-0123456789';
const KEY_ID = 'audit-2026-12';
const dir = mkdtempSync(join(tmpdir(), 'llm-otel-verify-'));
const keyFile = join(dir, 'audit.key');
writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });

/** An agent run: a root span, LLM calls with the usual GenAI attributes, a tool call, an error, a link. */
async function emitAgentRun(provider: NodeTracerProvider, calls: number): Promise<void> {
  const tracer = provider.getTracer('@llm-otel/instrumentation', '0.1.0');
  const root = tracer.startSpan('invoke_agent support-bot', { kind: SpanKind.INTERNAL });
  const parent = trace.setSpan(context.active(), root);
  for (let index = 0; index < calls; index += 1) {
    const span = tracer.startSpan(
      'chat gpt-4o-mini',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.request.temperature': index % 2 === 0 ? 0.2 : 1,
          'gen_ai.request.max_tokens': 256,
          'gen_ai.usage.input_tokens': 100 + index,
          'gen_ai.usage.cost': 0.000123,
          'gen_ai.response.finish_reasons': ['stop', 'length'],
          'gen_ai.request.stream': true,
          'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `mail me at jane.doe@example.com, call ${index}` }] }]),
        },
        links: index === 1 ? [{ context: root.spanContext(), attributes: { 'link.reason': 'retry' } }] : [],
      },
      parent,
    );
    span.addEvent('gen_ai.content.chunk', { 'chunk.index': index, 'chunk.ratio': 0.5 });
    if (index === 2) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end();
  }
  const tool = tracer.startSpan('execute_tool lookup_order', { kind: SpanKind.INTERNAL, attributes: { 'gen_ai.tool.name': 'lookup_order' } }, parent);
  tool.setStatus({ code: SpanStatusCode.OK });
  tool.end();
  root.end();
}

function chainedProvider(exporter: GrpcExporter | ProtoExporter): NodeTracerProvider {
  const chained = createChainedExportProcessor({ key: KEY, keyId: KEY_ID, exporter, batch: { scheduledDelayMillis: 20, maxExportBatchSize: 4 } });
  return new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'deployment.environment.name': 'test', 'service.instance.id': 'i-1' }),
    // Masking in front of the chain: the chain proves what the backend received.
    spanProcessors: [new PiiMaskingSpanProcessor(chained)],
  });
}

function byTrace(spans: ReceivedSpan[]): Map<string, ReceivedSpan[]> {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const span of spans) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span]);
  return traces;
}

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

interface JsonReport {
  ok: boolean;
  spansRead: number;
  chains: { verified: number; termination: string; alteredCount: number; altered: { sections?: string[] }[]; removed: number[][]; duplicates: number }[];
  malformed: { count: number };
}

async function verify(...args: string[]): Promise<{ status: number | null; report: JsonReport; stderr: string }> {
  const result = await runCli(['verify', '--key-file', `${KEY_ID}=${keyFile}`, '--json', ...args]);
  return { status: result.status, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

describe('llm-otel verify, end to end through the real OTLP exporters and receiver', () => {
  let receiver: OtlpReceiver;
  let received: ReceivedSpan[];
  /** One request per line, as the Collector's file exporter writes them. */
  let collectorLines: string[];

  beforeAll(async () => {
    buildCli();
    receiver = await startOtlpReceiver();
    // Two processes, two chains: one exporting over gRPC, one over HTTP/protobuf.
    for (const exporter of [new GrpcExporter({ url: receiver.grpcUrl }), new ProtoExporter({ url: receiver.httpUrl })]) {
      const provider = chainedProvider(exporter);
      await emitAgentRun(provider, 5);
      await emitAgentRun(provider, 3);
      await provider.shutdown();
    }
    received = await receiver.waitFor((spans) => spans.filter((span) => span.name === 'llm_otel.chain.checkpoint').length >= 2, 20_000);
    collectorLines = [];
    for (let index = 0; index < received.length; index += 3) collectorLines.push(JSON.stringify(toOtlpJsonRequest(received.slice(index, index + 3))));
  }, 120_000);

  afterAll(() => receiver?.close());

  it('the chain signed what the backend received: masked content', () => {
    const llm = received.find((span) => span.name === 'chat gpt-4o-mini')!;
    expect(String(llm.attributes['gen_ai.input.messages'])).not.toContain('jane.doe@example.com');
    expect(llm.attributes['llm_otel.chain.mac']).toEqual(expect.any(String));
  });

  it('Collector-format OTLP JSON lines verify: two chains, each ended cleanly, exit 0', async () => {
    const { status, report } = await verify(write('collector.jsonl', `${collectorLines.join('\n')}\n`));
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
    expect(report.chains).toHaveLength(2);
    expect(report.chains.map((chain) => chain.termination)).toEqual(['final-checkpoint', 'final-checkpoint']);
    expect(report.chains.reduce((sum, chain) => sum + chain.verified, 0)).toBe(received.length);
  });

  it('Jaeger 1.x /api/traces JSON (arrays as text, microseconds, kind and status as tags) verifies', async () => {
    const whole = toJaegerV1(toOtlpJsonRequest(received) as OtlpRequest);
    const { status, report } = await verify(write('jaeger-v1.json', JSON.stringify(whole, null, 2)));
    expect(report.malformed.count).toBe(0);
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
  });

  it('Jaeger 2.x /api/v3/traces and Tempo /api/traces, /api/v2/traces, one trace per line, verify', async () => {
    for (const shape of [toJaegerV3, toTempoV1, toTempoV2]) {
      const lines = [...byTrace(received).values()].map((spans) => JSON.stringify(shape(toOtlpJsonRequest(spans) as OtlpRequest)));
      const { status, report } = await verify(write(`${shape.name}.jsonl`, lines.join('\n')));
      expect({ shape: shape.name, ok: report.ok, status }).toEqual({ shape: shape.name, ok: true, status: 0 });
    }
  });

  it('one trace asked for, from a Tempo trace-by-id response: exit 0, nothing outside called a gap', async () => {
    const [traceId, spans] = [...byTrace(received)].find(([, list]) => list.some((span) => span.name === 'invoke_agent support-bot'))!;
    const path = write('tempo-one.json', JSON.stringify(toTempoV2(toOtlpJsonRequest(spans) as OtlpRequest)));
    const { status, report } = await verify('--trace-id', traceId, path);
    expect(status).toBe(0);
    expect(report.chains[0]).toMatchObject({ verified: spans.length, termination: 'not-checked', removed: [] });
  });

  it('one attribute changed in the stored JSON: exit 1, that span altered, in its attributes', async () => {
    const text = collectorLines.join('\n');
    const tampered = text.replace('"intValue":"101"', '"intValue":"1"');
    expect(tampered).not.toEqual(text);
    const { status, report } = await verify(write('tampered.jsonl', tampered));
    expect(status).toBe(1);
    const altered = report.chains.flatMap((chain) => chain.altered);
    expect(altered.map((item) => item.sections)).toEqual([['attributes']]);
    expect(report.chains.every((chain) => chain.removed.length === 0)).toBe(true);
  });

  it('one stored batch deleted: exit 1, exactly its sequence numbers removed', async () => {
    const { status, report } = await verify(write('deleted.jsonl', collectorLines.filter((_, index) => index !== 2).join('\n')));
    expect(status).toBe(1);
    const removed = report.chains.flatMap((chain) => chain.removed).reduce((sum, [first, last]) => sum + last! - first! + 1, 0);
    expect(removed).toBe(3);
  });

  it('duplicated lines (at-least-once delivery): reported, exit 0', async () => {
    const { status, report } = await verify(write('dup.jsonl', [...collectorLines, collectorLines[1]].join('\n')));
    expect(status).toBe(0);
    expect(report.chains.reduce((sum, chain) => sum + chain.duplicates, 0)).toBe(3);
  });

  it('hostile input: malformed lines, a huge line, garbage shapes are reported, the rest still verifies, exit 1', async () => {
    const hostile = [
      collectorLines[0],
      '{"resourceSpans": [',
      'x'.repeat(200_000),
      '{"data": 7}',
      '[]',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}',
      ...collectorLines.slice(1),
    ];
    const { status, report } = await verify('--max-line-bytes', '65536', write('hostile.jsonl', hostile.join('\n')));
    expect(status).toBe(1);
    expect(report.malformed.count).toBe(5);
    expect(report.chains.every((chain) => chain.alteredCount === 0 && chain.removed.length === 0)).toBe(true);
  });

  it('the wrong key: every record altered, exit 1; no key at all: a usage error, exit 2', async () => {
    const wrongKey = write('wrong.key', 'w'.repeat(40));
    const path = write('again.jsonl', collectorLines.join('\n'));
    const wrong = await runCli(['verify', '--key-file', `${KEY_ID}=${wrongKey}`, path]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('another key under this key id');
    const none = await runCli(['verify', path]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no key');
    const short = await runCli(['verify', path], { LLM_OTEL_AUDIT_KEY: 'too-short' });
    expect(short.status).toBe(2);
    expect(short.stderr).not.toContain('too-short');
  });

  it('--help lists the commands; the environment supplies the key', async () => {
    const help = await runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('verify');
    const fromEnv = await runCli(['verify', write('env.jsonl', collectorLines.join('\n'))], {
      LLM_OTEL_AUDIT_KEY_FILE: keyFile,
      LLM_OTEL_AUDIT_KEY_ID: KEY_ID,
    });
    expect(fromEnv.status).toBe(0);
    expect(fromEnv.stdout).toContain('result: OK');
    expect(readFileSync(keyFile, 'utf8')).toContain(KEY);
  });
});

// Keep the import used when the chain stage is wired by hand elsewhere.
void IntegrityChainSpanProcessor;
