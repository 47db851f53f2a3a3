// Export throughput on one core, no network: spans as the instrumentation ends them (a typical LLM
// client span, about 25 attributes and 2 KB of message content with a few personal data in it) through
// the pipeline setupTelemetry() builds (LlmSpanProcessor: usage de-duplication, PII masking at export)
// into a BatchSpanProcessor whose exporter encodes every batch as the OTLP protobuf request and drops
// the bytes. Spans per second of CPU time of this process (GC included): what one core sustains.
// The encoder is the one the exporters and the spool use (@llm-otel/setup's traceProtobufSerializer);
// upstream's ProtobufTraceSerializer, which writes the same bytes, is measured beside it as a baseline.
import { createRequire } from 'node:module';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { traceProtobufSerializer } from '@llm-otel/setup';
import { typicalLlmAttributes } from './measure.mjs';

const requireFromSetup = createRequire(import.meta.resolve('@llm-otel/setup/package.json'));
const { ProtobufTraceSerializer } = requireFromSetup('@opentelemetry/otlp-transformer');
const { LlmSpanProcessor } = requireFromSetup('@llm-otel/processor');

export const ENCODERS = { ours: traceProtobufSerializer, upstream: ProtobufTraceSerializer };

const EXPORT_SUCCESS = 0;
export const THROUGHPUT_TARGET = 20_000;

/** Encodes each batch as the OTLP exporter would put it on the wire; counts spans and bytes. */
class EncodingExporter {
  spans = 0;
  bytes = 0;
  constructor(serializer) {
    this.serializer = serializer;
  }
  export(spans, done) {
    this.bytes += this.serializer.serializeRequest(spans).byteLength;
    this.spans += spans.length;
    done({ code: EXPORT_SUCCESS });
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

/** ~1.6 KB in, ~0.5 KB out, with an e-mail address, a phone number and a card number to mask. */
function messages(i) {
  const input = JSON.stringify([
    {
      role: 'system',
      parts: [
        {
          type: 'text',
          content:
            'You are a support assistant for a retail bank. Answer briefly, cite the policy section, and never repeat account numbers back to the customer. '.repeat(
              3,
            ),
        },
      ],
    },
    {
      role: 'user',
      parts: [
        {
          type: 'text',
          content:
            `Ticket ${i}: Hello, I was charged twice for order ${100000 + i}. My card is 4111 1111 1111 1111 and you can reach me at jane.doe${i}@example.com or (415) 555-2671. ` +
            'I already contacted the merchant, who told me the second charge is a pre-authorisation that should disappear within five business days, but it has been two weeks now. '.repeat(
              4,
            ),
        },
      ],
    },
  ]);
  const output = JSON.stringify([
    {
      role: 'assistant',
      finish_reason: 'stop',
      parts: [
        {
          type: 'text',
          content:
            'I am sorry about the double charge. A pre-authorisation normally drops within 5 business days (policy 4.2). As it has been two weeks, I opened a dispute for the second charge; you will get an update by e-mail within 3 days. '.repeat(
              2,
            ),
        },
      ],
    },
  ]);
  return { input, output };
}

// Built before the timed loop (the instrumentation has its strings already when the span ends), in
// 256 variants so that no two spans in a row carry the same text (the masker caches keys, not values).
const CONTENT = Array.from({ length: 256 }, (_, i) => messages(i));

/** The attributes @llm-otel/instrumentation records on a streamed chat completion with content capture on. */
export function llmSpanAttributes(i) {
  const { input, output } = CONTENT[i % CONTENT.length];
  // Object.assign, not `{ ...typicalLlmAttributes(i), … }`: on Node 20 a spread followed by 14 more keys
  // takes V8's slow path for every key after it, 19 µs per span of the bench's own work (0.35 µs this
  // way, measured), a third of what the pipeline without masking was charged.
  return Object.assign(typicalLlmAttributes(i), {
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 512,
    'gen_ai.request.top_p': 1,
    'gen_ai.request.stream': true,
    'gen_ai.response.time_to_first_chunk': 0.412,
    'gen_ai.usage.cache_read.input_tokens': 0,
    'gen_ai.conversation.id': `conv-${i % 97}`,
    'gen_ai.input.messages': input,
    'gen_ai.output.messages': output,
    'url.full': 'https://api.openai.com/v1/chat/completions',
    'http.request.method': 'POST',
    'http.response.status_code': 200,
    'llm_otel.hook': 'fetch',
    'llm_otel.context_window': 128000,
  });
}

function endLlmSpan(tracer, i) {
  tracer.startSpan('chat gpt-4o-mini', { kind: 2, attributes: llmSpanAttributes(i) }).end();
}

/** The attribute count and content bytes of the span mix, for the report. */
export function spanMix() {
  const attributes = llmSpanAttributes(0);
  return { attributes: Object.keys(attributes).length, contentBytes: attributes['gen_ai.input.messages'].length + attributes['gen_ai.output.messages'].length };
}

/**
 * Ends `spans` spans in rounds of 512 (one event-loop turn between rounds, so the batch processor's
 * export runs) and flushes. Returns spans per CPU second and per wall second, and what was exported.
 */
export async function measureThroughput({ spans, masking = true, encoder = 'ours' }) {
  const exporter = new EncodingExporter(ENCODERS[encoder]);
  const queue = new BatchSpanProcessor(exporter, { maxQueueSize: 4096, maxExportBatchSize: 512, scheduledDelayMillis: 1000 });
  const provider = new BasicTracerProvider({ spanProcessors: [new LlmSpanProcessor(queue, { pii: masking ? {} : false })] });
  const tracer = provider.getTracer('bench-export-throughput');
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < spans; i++) {
    endLlmSpan(tracer, i);
    if ((i + 1) % 512 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await provider.forceFlush();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  await provider.shutdown();
  return {
    exported: exporter.spans,
    bytesPerSpan: exporter.bytes / exporter.spans,
    perCpuSecond: spans / ((user + system) / 1e6),
    perWallSecond: spans / seconds,
  };
}

/**
 * The encoder alone: CPU µs per span to serialize batches of 512 spans of the mix (as they reach the
 * exporter, masking off), for each encoder, interleaved; checks that both wrote the same bytes.
 */
export function measureEncoders({ rounds = 100 } = {}) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('bench-export-throughput');
  for (let i = 0; i < 512; i++) endLlmSpan(tracer, i);
  const batch = memory.getFinishedSpans();
  const same = Buffer.from(ENCODERS.ours.serializeRequest(batch)).equals(Buffer.from(ENCODERS.upstream.serializeRequest(batch)));
  const micros = { ours: [], upstream: [] };
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? ['ours', 'upstream'] : ['upstream', 'ours']) {
      const cpu = process.cpuUsage();
      ENCODERS[name].serializeRequest(batch);
      const { user, system } = process.cpuUsage(cpu);
      micros[name].push((user + system) / batch.length);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { same, ours: median(micros.ours), upstream: median(micros.upstream) };
}
