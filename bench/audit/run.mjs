// Integrity chain cost: what signing adds per exported span (canonical encoding + 6 SHA-256 + one
// HMAC-SHA256), on one core, for a typical LLM span (25 attributes, 2 KB of content, one event), beside
// the work every export already does (OTLP protobuf serialisation, with PII masking in front, as
// setupTelemetry() builds it). The target (issue 13): export with the chain ≥ 20,000 spans/s on one core.
// Prints; never fails on a missed target. Run after `pnpm run build`.
import os from 'node:os';
import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { IntegrityChain } from '@llm-otel/audit';
// The serialiser the OTLP exporters and the spool use (@llm-otel/setup's own, issue 11).
import { traceProtobufSerializer } from '@llm-otel/setup';

const SPANS = 20_000;
const BATCH = 512;
const REPEATS = 5;

function attributes(index) {
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
    'gen_ai.usage.input_tokens': 1200 + (index % 100),
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
    // Content differs from span to span, as real prompts and answers do: the chain reuses the encoding
    // of a value that repeats, which identical content would flatter.
    'gen_ai.input.messages': JSON.stringify([
      { role: 'user', parts: [{ type: 'text', content: `Request ${index}: summarise the attached contract clause. `.repeat(18) }] },
    ]),
    'gen_ai.output.messages': JSON.stringify([
      { role: 'assistant', parts: [{ type: 'text', content: `Answer ${index}: the clause limits liability to direct damages. `.repeat(16) }] },
    ]),
  };
}

/** Ended spans as the exporter receives them: masked views from the PII processor. */
function endedSpans(count) {
  const collected = [];
  const sink = { onStart() {}, onEnd: (span) => collected.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  const provider = new BasicTracerProvider({ spanProcessors: [new PiiMaskingSpanProcessor(sink)] });
  const tracer = provider.getTracer('bench-audit');
  for (let index = 0; index < count; index += 1) {
    const span = tracer.startSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT, attributes: attributes(index) });
    span.addEvent('gen_ai.choice', { index: 0 });
    span.end();
  }
  return collected;
}

/**
 * CPU time of `work` over SPANS spans, made and masked a batch at a time (as a BatchSpanProcessor
 * hands them over, so the live heap is a batch, not the whole run); only `work` is timed.
 */
function measure(work) {
  let micros = 0;
  let result = 0;
  for (let done = 0; done < SPANS; done += BATCH) {
    const batch = endedSpans(BATCH);
    // Masking is lazy: read each span once so every variant starts from masked content.
    for (const span of batch) void span.attributes;
    const before = process.cpuUsage();
    result += work(batch);
    const used = process.cpuUsage(before);
    micros += used.user + used.system;
  }
  return { microsPerSpan: micros / SPANS, spansPerSecond: (SPANS / micros) * 1e6, perSpan: result / SPANS };
}

const chain = () => new IntegrityChain({ key: 'bench-key-of-at-least-32-bytes-0123456789', keyId: 'bench' });

function run(withChain) {
  const signer = chain();
  const result = measure((batch) => traceProtobufSerializer.serializeRequest(withChain ? signer.sign(batch) : batch).length);
  return { spansPerSecond: result.spansPerSecond, microsPerSpan: result.microsPerSpan, bytesPerSpan: result.perSpan };
}

function signOnly() {
  const signer = chain();
  return measure((batch) => signer.sign(batch).length).microsPerSpan;
}

function numberOnly() {
  const signer = chain();
  return measure((batch) => {
    for (const span of batch) signer.number(span);
    return 0;
  }).microsPerSpan;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cpus = os.cpus();
console.log('llm-otel integrity chain benchmark');
console.log(
  `node ${process.version} · ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · load ${os.loadavg()[0].toFixed(2)}`,
);
console.log(
  `${SPANS} spans of 25 attributes with ~2 KB of content, made and exported ${BATCH} at a time; CPU time (user+system) of the export work only, ${REPEATS} runs, medians`,
);

const plain = [];
const chained = [];
const sign = [];
const number = [];
for (let repeat = 0; repeat < REPEATS; repeat += 1) {
  for (const withChain of repeat % 2 === 0 ? [false, true] : [true, false]) (withChain ? chained : plain).push(run(withChain));
  sign.push(signOnly());
  number.push(numberOnly());
}
const summary = (runs) => ({
  rate: median(runs.map((r) => r.spansPerSecond)),
  micros: median(runs.map((r) => r.microsPerSpan)),
  bytes: median(runs.map((r) => r.bytesPerSpan)),
});
const a = summary(plain);
const b = summary(chained);
console.log(`${'export path'.padEnd(44)} ${'spans/s'.padStart(9)} ${'CPU/span'.padStart(11)} ${'bytes/span'.padStart(11)}`);
console.log(`${'masked → protobuf'.padEnd(44)} ${a.rate.toFixed(0).padStart(9)} ${a.micros.toFixed(1).padStart(8)} µs ${a.bytes.toFixed(0).padStart(11)}`);
console.log(
  `${'masked → chain.sign → protobuf'.padEnd(44)} ${b.rate.toFixed(0).padStart(9)} ${b.micros.toFixed(1).padStart(8)} µs ${b.bytes.toFixed(0).padStart(11)}`,
);
console.log(
  `signing alone: ${median(sign).toFixed(1)} µs per span (${(1e6 / median(sign)).toFixed(0)} spans/s); numbering on span end: ${(median(number) * 1000).toFixed(0)} ns per span`,
);
console.log(`chain/plain: spans/s ${(b.rate / a.rate).toFixed(2)}×, +${(b.bytes - a.bytes).toFixed(0)} bytes per span on the wire`);
console.log(`target ≥ 20,000 spans/s with the chain: ${b.rate >= 20_000 ? 'met' : 'MISSED'}`);
