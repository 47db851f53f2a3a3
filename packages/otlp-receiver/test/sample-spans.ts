import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.41.0';

/** Every attribute value type OTLP carries, with int64 values at the edge of what JS numbers hold. */
export const CHAT_ATTRIBUTES = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.usage.input_tokens': 42,
  'gen_ai.usage.output_tokens': 7,
  'gen_ai.usage.cost': 0.0000105,
  'gen_ai.request.temperature': 0.7,
  'gen_ai.request.stream': true,
  'gen_ai.response.finish_reasons': ['stop', 'length'],
  'test.negative': -7,
  'test.large_int': 2 ** 40 + 1,
  'test.max_safe_int': Number.MAX_SAFE_INTEGER,
  'test.ints': [1, 2, 3],
  'test.doubles': [0.5, 1.5],
  'test.bools': [true, false],
  'test.empty': '',
};

export interface SampleTrace {
  spans: ReadableSpan[];
  root: ReadableSpan;
  chat: ReadableSpan;
  linkedTraceId: string;
  linkedSpanId: string;
}

/** Records an `agent.run` root with one failed CLIENT child (events, a link, all value types). */
export async function recordSampleTrace(): Promise<SampleTrace> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'receiver-test',
      'service.version': '9.9.9',
      'host.cpu.count': 8,
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('receiver-test-scope', '1.2.3', { schemaUrl: SCHEMA_URL });
  const linkedTraceId = '0af7651916cd43dd8448eb211c80319c';
  const linkedSpanId = 'b7ad6b7169203331';

  const root = tracer.startSpan('agent.run', { kind: SpanKind.INTERNAL });
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      kind: SpanKind.CLIENT,
      attributes: CHAT_ATTRIBUTES,
      links: [
        {
          context: { traceId: linkedTraceId, spanId: linkedSpanId, traceFlags: 1 },
          attributes: { 'link.reason': 'retry-of' },
        },
      ],
    },
    trace.setSpan(context.active(), root),
  );
  chat.addEvent('gen_ai.first_chunk', { 'chunk.index': 0, 'chunk.bytes': 128 });
  chat.setAttribute('error.type', 'rate_limit_exceeded');
  chat.setStatus({ code: SpanStatusCode.ERROR, message: 'Rate limit reached' });
  chat.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();

  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return {
    spans,
    root: spans.find((span) => span.name === 'agent.run')!,
    chat: spans.find((span) => span.name === 'chat gpt-4o-mini')!,
    linkedTraceId,
    linkedSpanId,
  };
}

/** The ExportResult of one export call: code 0 SUCCESS, 1 FAILED (ExportResultCode of @opentelemetry/core). */
export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}
