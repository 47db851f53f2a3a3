import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
// ExportResultCode of @opentelemetry/core by value: the package does not depend on core (see
// src/signing-span-exporter.ts), so neither do its tests.
export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResult = Parameters<Parameters<SpanExporter['export']>[1]>[0];
import { IntegrityChain, IntegrityChainSpanProcessor, SigningSpanExporter, recordFromReadableSpan, type SpanRecord } from '../src';

export const KEY = 'k'.repeat(16) + 'e'.repeat(16) + 'y'.repeat(8);
export const KEY_ID = 'test-1';

/** A typical LLM span's attributes: about 25, with 2 KB of content. */
export function llmAttributes(index: number): Record<string, string | number | boolean | string[]> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'gen_ai.response.id': `chatcmpl-${index}`,
    'gen_ai.response.finish_reasons': ['stop'],
    'gen_ai.request.temperature': 0.7,
    'gen_ai.request.max_tokens': 512,
    'gen_ai.request.top_p': 1,
    'gen_ai.usage.input_tokens': 1200 + index,
    'gen_ai.usage.output_tokens': 300,
    'gen_ai.usage.reasoning.output_tokens': 0,
    'gen_ai.usage.cache_read.input_tokens': 0,
    'gen_ai.usage.cost': 0.00042,
    'gen_ai.conversation.id': 'conv-42',
    'server.address': 'api.openai.com',
    'server.port': 443,
    'http.response.status_code': 200,
    'llm_otel.usage.source': 'provider',
    'llm_otel.time_to_first_chunk': 0.231,
    'gen_ai.request.stream': true,
    'llm_otel.content.truncated': false,
    'gen_ai.output.type': 'text',
    'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'x'.repeat(1000) }] }]),
    'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'y'.repeat(1000) }] }]),
  };
}

/** Keeps what it was given, also after shutdown (the SDK's in-memory exporter forgets on shutdown). */
class CollectingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * `count` spans through the chain (numbered on end, signed by the exporter wrapper), then shutdown (final
 * checkpoint). Returns the spans as exported, in export order.
 */
export async function exportChain(count: number, options: { chainId?: string; keyId?: string; key?: string } = {}): Promise<ReadableSpan[]> {
  const chain = new IntegrityChain({ key: options.key ?? KEY, keyId: options.keyId ?? KEY_ID, ...(options.chainId ? { chainId: options.chainId } : {}) });
  const memory = new CollectingExporter();
  const processor = new IntegrityChainSpanProcessor(chain, new SimpleSpanProcessor(new SigningSpanExporter(chain, memory)), {
    checkpointIntervalMillis: 0,
  });
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'chain-test' }), spanProcessors: [processor] });
  const tracer = provider.getTracer('chain-test', '1.0.0');
  for (let index = 0; index < count; index += 1) {
    const span = tracer.startSpan(`chat gpt-4o-mini ${index}`, { kind: SpanKind.CLIENT, attributes: llmAttributes(index) });
    span.addEvent('gen_ai.choice', { index: 0, 'gen_ai.response.finish_reason': 'stop' });
    if (index % 5 === 4) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end();
    // Every so often, a periodic checkpoint, as the timer would write it.
    if (index % 7 === 6) processor['downstream'].onEnd(chain.checkpointSpan('periodic'));
  }
  await provider.shutdown();
  return memory.spans;
}

export function toRecords(spans: ReadableSpan[]): SpanRecord[] {
  return spans.map((span) => recordFromReadableSpan(span));
}
