import { createSecretKey } from 'node:crypto';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, test } from 'vitest';
import {
  ATTR_CHAIN_MAC,
  ATTR_CHAIN_SEQ,
  ATTR_CHECKPOINT,
  ChainVerifier,
  IntegrityChain,
  recordFromReadableSpan,
  SigningSpanExporter,
  type SpanRecord,
} from '@llm-otel/audit';
import { LlmSpanProcessor } from '../src';

const KEY = 'an audit key of at least 32 bytes, for tests only';
const KEY_ID = 'test-1';

/** Keeps what it was given, also after shutdown (the SDK's in-memory exporter forgets on shutdown). */
class Keeping implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.spans.push(...spans);
    done({ code: 0 }); // ExportResultCode.SUCCESS
  }
  async shutdown(): Promise<void> {}
}

function verify(spans: ReadableSpan[], edit?: (record: SpanRecord, index: number) => void) {
  const verifier = new ChainVerifier({ keys: new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]) });
  spans.forEach((span, index) => {
    const record = recordFromReadableSpan(span);
    edit?.(record, index);
    verifier.add(record);
  });
  return verifier.finish();
}

function endSpans(provider: BasicTracerProvider, count: number): void {
  const tracer = provider.getTracer('@llm-otel/instrumentation');
  for (let i = 0; i < count; i++) {
    tracer.startSpan(`chat gpt-4o-mini`, { attributes: { 'gen_ai.request.model': 'gpt-4o-mini', 'customer.email': `jane${i}@example.com` } }).end();
  }
}

describe('LlmSpanProcessor with audit: de-dup → mask → chain → signed queue', () => {
  test('an exporter and a key: every span signed after masking, a final checkpoint, the chain verifies', async () => {
    const exporter = new Keeping();
    const processor = new LlmSpanProcessor(exporter, { audit: { key: KEY, keyId: KEY_ID } });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    endSpans(provider, 7);
    await provider.shutdown();

    expect(exporter.spans).toHaveLength(8);
    const app = exporter.spans.filter((span) => span.attributes[ATTR_CHECKPOINT] === undefined);
    expect(app.map((span) => span.attributes[ATTR_CHAIN_SEQ])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The MAC covers what the backend receives: the masked value.
    expect(app.every((span) => span.attributes['customer.email'] === '<EMAIL>' && typeof span.attributes[ATTR_CHAIN_MAC] === 'string')).toBe(true);
    expect(exporter.spans.at(-1)?.attributes[ATTR_CHECKPOINT]).toBe('final');
    const report = verify(exporter.spans);
    expect(report.problems).toEqual([]);
    expect(report.chains[0]).toMatchObject({ verified: 8, termination: 'final-checkpoint', chainId: processor.chain?.chainId });
  });

  test('the chain stage runs after masking: a verifier holding the unmasked span sees it altered', async () => {
    const exporter = new Keeping();
    const processor = new LlmSpanProcessor(exporter, { audit: { key: KEY, keyId: KEY_ID } });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    endSpans(provider, 1);
    await provider.shutdown();
    const report = verify(exporter.spans, (record, index) => {
      if (index === 0) record.attributes = record.attributes.map(([key, value]) => [key, key === 'customer.email' ? 'jane0@example.com' : value]);
    });
    expect(report.ok).toBe(false);
    expect(report.chains[0]?.altered.map((record) => record.seq)).toEqual([1]);
  });

  test('a chain and your own queue whose exporter signs with it', async () => {
    const exporter = new Keeping();
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const processor = new LlmSpanProcessor(new BatchSpanProcessor(new SigningSpanExporter(chain, exporter)), { audit: { chain } });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    endSpans(provider, 3);
    await provider.shutdown();
    expect(verify(exporter.spans).chains[0]).toMatchObject({ verified: 4, termination: 'final-checkpoint' });
  });

  test('a key with a queue is refused: its exporter cannot be signed from outside', () => {
    expect(() => new LlmSpanProcessor(new SimpleSpanProcessor(new Keeping()), { audit: { key: KEY } })).toThrow(/pass the exporter/);
  });

  test('a short key is refused at set-up without echoing it', () => {
    const attempt = () => new LlmSpanProcessor(new Keeping(), { audit: { key: 'short-secret-value' } });
    expect(attempt).toThrow(TypeError);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  test('audit: false and no audit: no chain attributes', async () => {
    const exporter = new Keeping();
    const provider = new BasicTracerProvider({ spanProcessors: [new LlmSpanProcessor(exporter, { audit: false })] });
    endSpans(provider, 2);
    await provider.shutdown();
    expect(exporter.spans).toHaveLength(2);
    expect(exporter.spans.some((span) => span.attributes[ATTR_CHAIN_SEQ] !== undefined)).toBe(false);
  });
});
