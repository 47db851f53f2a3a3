import { IntegrityChain, IntegrityChainSpanProcessor, SigningSpanExporter } from '@llm-otel/audit';
import { toOtlpJsonRequest, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { SpanKind } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, CLI } from './cli-child';

const KEY = 'a-large-input-key-of-more-than-32-bytes!';
const toNanos = (time: [number, number]) => BigInt(time[0]) * 1_000_000_000n + BigInt(time[1]);

/** A signed SDK span in the receiver's shape, so the receiver's Collector-format writer can write it. */
function asReceived(span: ReadableSpan): ReceivedSpan {
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    name: span.name,
    kind: span.kind + 1,
    startTimeUnixNano: toNanos(span.startTime),
    endTimeUnixNano: toNanos(span.endTime),
    attributes: span.attributes as ReceivedSpan['attributes'],
    events: span.events.map((event) => ({
      name: event.name,
      timeUnixNano: toNanos(event.time),
      attributes: (event.attributes ?? {}) as ReceivedSpan['attributes'],
    })),
    links: [],
    status: { code: span.status.code },
    resource: span.resource.attributes as ReceivedSpan['attributes'],
    scope: { name: span.instrumentationScope.name, ...(span.instrumentationScope.version ? { version: span.instrumentationScope.version } : {}) },
    transport: 'grpc',
  };
}

describe('llm-otel verify on a large file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-otel-large-'));
  const path = join(dir, 'traces.jsonl');
  const keyFile = join(dir, 'key');
  const SPANS = 40_000;

  beforeAll(async () => {
    buildCli();
    writeFileSync(keyFile, KEY);
    const out = createWriteStream(path);
    const chain = new IntegrityChain({ key: KEY, keyId: 'big' });
    let batch: ReadableSpan[] = [];
    const flush = () => {
      if (batch.length > 0) out.write(`${JSON.stringify(toOtlpJsonRequest(batch.map(asReceived)))}\n`);
      batch = [];
    };
    const sink = {
      export: (spans: ReadableSpan[], done: (result: { code: 0 }) => void) => {
        batch.push(...spans);
        if (batch.length >= 100) flush();
        done({ code: 0 });
      },
      shutdown: async () => flush(),
    };
    const processor = new IntegrityChainSpanProcessor(chain, new SimpleSpanProcessor(new SigningSpanExporter(chain, sink)), { checkpointIntervalMillis: 0 });
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'big' }), spanProcessors: [processor] });
    const tracer = provider.getTracer('big');
    const content = 'The clause limits liability to direct damages. '.repeat(50);
    for (let index = 0; index < SPANS; index += 1) {
      tracer.startSpan('chat', { kind: SpanKind.CLIENT, attributes: { 'gen_ai.input.messages': content, 'gen_ai.usage.input_tokens': index } }).end();
      if (index % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
    }
    await provider.shutdown();
    flush();
    await new Promise((resolve) => out.end(resolve));
  }, 300_000);

  it('streams a file far larger than its heap: 40,000 spans (~100 MB) with a 64 MB heap limit', async () => {
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(90 * 1024 * 1024);
    const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--max-old-space-size=64', CLI, 'verify', '--key-file', `big=${keyFile}`, '--progress', path], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(result.stdout).toContain(`verified ${(SPANS + 1).toLocaleString('en-US')} spans`);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/verify: .*MiB .*read/);
  }, 300_000);
});
