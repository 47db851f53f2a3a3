// Durable export benchmark: spans per second through BasicTracerProvider → processor → OTLP gRPC to a
// loopback receiver (in its own process), without the spool (stock BatchSpanProcessor + OTLPTraceExporter)
// and with it (SpoolingSpanProcessor: every batch written, fsynced and renamed before it is sent), in the
// same run, alternating; plus the cost of span.end() (the processor's onEnd), median and p99.
// Prints; never fails on a missed target. Fails if the spool lost spans.
import os from 'node:os';
import { percentiles, runThroughput } from './measure.mjs';
import { SETTINGS, baselinePipeline, spoolPipeline } from './pipelines.mjs';
import { startReceiverProcess } from './receiver-client.mjs';

const SPANS = 20_000;
const ROUND = 200;
const REPEATS = 3;
const BURST = 10_000;

const cpus = os.cpus();
console.log('llm-otel durable export benchmark');
console.log(`node ${process.version} · ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · spool dir in ${os.tmpdir()}`);
console.log(`both: queue ${SETTINGS.maxQueueSize}, batch ${SETTINGS.maxExportBatchSize}, delay ${SETTINGS.scheduledDelayMillis} ms, gRPC to a receiver process`);

const receiver = await startReceiverProcess();
const results = { baseline: [], spool: [] };
const onEnd = { baseline: [], spool: [] };
let spoolLost = 0;

// Paced: rounds of ROUND spans with an event-loop turn between them, A B B A order.
for (let repeat = 0; repeat < REPEATS; repeat++) {
  const order = repeat % 2 === 0 ? ['baseline', 'spool'] : ['spool', 'baseline'];
  for (const kind of order) {
    const pipeline = kind === 'baseline' ? baselinePipeline(receiver, SPANS) : spoolPipeline(receiver, SPANS);
    const result = await runThroughput(pipeline, receiver, SPANS, ROUND);
    results[kind].push(result);
    onEnd[kind].push(percentiles(pipeline.processor.durations, Math.min(SPANS, pipeline.processor.calls)));
    if (kind === 'spool') spoolLost += SPANS - result.delivered;
    await pipeline.close();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const row = (kind) => {
  const rate = median(results[kind].map((r) => r.spansPerSecond));
  const delivered = median(results[kind].map((r) => r.delivered));
  const end = { median: median(onEnd[kind].map((p) => p.median)), p99: median(onEnd[kind].map((p) => p.p99)) };
  return { rate, delivered, end };
};
const base = row('baseline');
const spool = row('spool');
console.log(`\npaced: ${SPANS} spans in rounds of ${ROUND} (one event-loop turn between rounds), ${REPEATS} runs each, medians`);
console.log('pipeline                                               spans/s   delivered   onEnd median   onEnd p99');
for (const [name, r] of [['BatchSpanProcessor + OTLPTraceExporter (baseline)', base], ['SpoolingSpanProcessor (durable)', spool]]) {
  console.log(`${name.padEnd(52)} ${r.rate.toFixed(0).padStart(9)} ${String(r.delivered).padStart(11)} ${r.end.median.toFixed(2).padStart(11)} µs ${r.end.p99.toFixed(2).padStart(8)} µs`);
}
console.log(`ratios spool/baseline: throughput ${(spool.rate / base.rate).toFixed(2)}×, onEnd median ${(spool.end.median / base.end.median).toFixed(2)}×, p99 ${(spool.end.p99 / base.end.p99).toFixed(2)}×`);
console.log(`added latency per span end: median ${(spool.end.median - base.end.median).toFixed(2)} µs, p99 ${(spool.end.p99 - base.end.p99).toFixed(2)} µs`);

// Burst: BURST spans in one synchronous loop (no event-loop turn): the stock queue drops past 2048,
// the spool spills batches to disk synchronously instead.
console.log(`\nburst: ${BURST} spans ended in one synchronous loop`);
for (const kind of ['baseline', 'spool']) {
  const pipeline = kind === 'baseline' ? baselinePipeline(receiver, BURST) : spoolPipeline(receiver, BURST);
  const result = await runThroughput(pipeline, receiver, BURST, Number.MAX_SAFE_INTEGER);
  const p = percentiles(pipeline.processor.durations, BURST);
  const spills = kind === 'spool' ? `, ${pipeline.spool.synchronousSpills} synchronous spills` : '';
  console.log(
    `${pipeline.name.padEnd(52)} delivered ${result.delivered}/${BURST} in ${result.seconds.toFixed(2)} s; ` +
      `onEnd median ${p.median.toFixed(2)} µs, p99 ${p.p99.toFixed(2)} µs, max ${(p.max / 1000).toFixed(1)} ms${spills}`,
  );
  if (kind === 'spool') spoolLost += BURST - result.delivered;
  await pipeline.close();
}

await receiver.close();
if (spoolLost > 0) {
  console.error(`FAIL: the spool lost ${spoolLost} spans`);
  process.exitCode = 1;
}
