// Durable export benchmark: BasicTracerProvider → PII masking → processor → OTLP gRPC to a loopback
// receiver (in its own process), as setupTelemetry() builds the pipeline: without the spool (BatchSpanProcessor + the OTLP gRPC exporter, our encoder) and with it
// (SpoolingSpanProcessor: every batch written, fsynced and renamed before it is sent), in the same run,
// alternating A B B A. Reports spans per second delivered, CPU per span, and the cost of span.end()
// (the processor's onEnd), median and p99. Prints; never fails on a missed target. Fails if the spool
// lost spans.
import os from 'node:os';
import { percentiles, runScenario } from './measure.mjs';
import { SETTINGS, baselinePipeline, spoolPipeline } from './pipelines.mjs';
import { startReceiverProcess } from './receiver-client.mjs';
import { THROUGHPUT_TARGET, measureEncoders, measureThroughput, spanMix } from './throughput.mjs';

const REPEATS = 3;
const SCENARIOS = [
  { name: 'steady', spans: 10_000, roundSize: 20, pauseMillis: 10, about: 'about 2,000 spans/s offered (20 every 10 ms)' },
  { name: 'overload', spans: 20_000, roundSize: 200, pauseMillis: 0, about: 'as fast as possible, one event-loop turn per 200 spans' },
];
const BURST = 10_000;

const cpus = os.cpus();
console.log('llm-otel durable export benchmark');
console.log(
  `node ${process.version} · ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · spool dir in ${os.tmpdir()}`,
);
console.log(
  `both: queue ${SETTINGS.maxQueueSize}, batch ${SETTINGS.maxExportBatchSize}, delay ${SETTINGS.scheduledDelayMillis} ms, gRPC to a receiver in another process`,
);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// One core, no network: masking + batch + OTLP protobuf encode (throughput.mjs), masking off and on.
const THROUGHPUT_SPANS = 30_000;
const mix = spanMix();
console.log(
  `\nthroughput on one core: ${THROUGHPUT_SPANS} spans per run, ${REPEATS} runs each (alternating), medians; LlmSpanProcessor → BatchSpanProcessor → ` +
    `OTLP protobuf encode (bytes dropped). Mix: every span a streamed chat completion with ${mix.attributes} attributes, ${mix.contentBytes} bytes of ` +
    'message content (gen_ai.input/output.messages: system prompt, a user ticket with an e-mail address, a phone number and a card number, the answer), 256 content variants',
);
await measureThroughput({ spans: 5000 }); // warm-up
await measureThroughput({ spans: 5000, encoder: 'upstream' });
const throughput = { off: [], on: [], offUpstream: [], onUpstream: [] };
const VARIANTS = [
  ['off', { masking: false }],
  ['on', { masking: true }],
  ['offUpstream', { masking: false, encoder: 'upstream' }],
  ['onUpstream', { masking: true, encoder: 'upstream' }],
];
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const [name, variant] of repeat % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
    const result = await measureThroughput({ spans: THROUGHPUT_SPANS, ...variant });
    if (result.exported !== THROUGHPUT_SPANS) throw new Error(`throughput run exported ${result.exported} of ${THROUGHPUT_SPANS} spans`);
    throughput[name].push(result);
  }
}
for (const [name, runs] of [
  ['masking off', throughput.off],
  ['masking on (the default)', throughput.on],
  ['masking off, upstream encoder', throughput.offUpstream],
  ['masking on, upstream encoder', throughput.onUpstream],
]) {
  const perCpu = median(runs.map((r) => r.perCpuSecond));
  console.log(
    `${name.padEnd(30)} ${perCpu.toFixed(0).padStart(7)} spans per CPU second (${(1e6 / perCpu).toFixed(1)} µs CPU per span), ` +
      `${median(runs.map((r) => r.perWallSecond))
        .toFixed(0)
        .padStart(7)} per wall second, ${median(runs.map((r) => r.bytesPerSpan)).toFixed(0)} OTLP bytes per span`,
  );
}
const encoders = measureEncoders();
if (!encoders.same) throw new Error('our encoder and upstream wrote different bytes for the span mix');
console.log(
  `encoder alone, batches of 512 of the mix (same bytes): ours ${encoders.ours.toFixed(1)} µs CPU per span, upstream ProtobufTraceSerializer ` +
    `${encoders.upstream.toFixed(1)} µs (${(encoders.upstream / encoders.ours).toFixed(1)}×)`,
);
const maskedRate = median(throughput.on.map((r) => r.perCpuSecond));
console.log(`target ≥ ${THROUGHPUT_TARGET} spans/s on one core with masking on: ${maskedRate >= THROUGHPUT_TARGET ? 'met' : 'NOT met'}`);

const receiver = await startReceiverProcess();
const make = (kind, capacity) => (kind === 'baseline' ? baselinePipeline(receiver, capacity) : spoolPipeline(receiver, capacity));
let spoolLost = 0;

for (const scenario of SCENARIOS) {
  const runs = { baseline: [], spool: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const kind of repeat % 2 === 0 ? ['baseline', 'spool'] : ['spool', 'baseline']) {
      const pipeline = make(kind, scenario.spans);
      const result = await runScenario(pipeline, receiver, scenario);
      runs[kind].push({ ...result, onEnd: percentiles(pipeline.processor.durations, scenario.spans) });
      if (kind === 'spool') spoolLost += scenario.spans - result.delivered;
      await pipeline.close();
    }
  }
  const summary = (kind) => ({
    rate: median(runs[kind].map((r) => r.spansPerSecond)),
    delivered: median(runs[kind].map((r) => r.delivered)),
    cpu: median(runs[kind].map((r) => r.cpuMicrosPerSpan)),
    endMedian: median(runs[kind].map((r) => r.onEnd.median)),
    endP99: median(runs[kind].map((r) => r.onEnd.p99)),
  });
  const base = summary('baseline');
  const spool = summary('spool');
  console.log(`\n${scenario.name}: ${scenario.spans} spans, ${scenario.about}; ${REPEATS} runs each, medians`);
  console.log(
    `${'pipeline'.padEnd(40)} ${'delivered'.padStart(11)} ${'spans/s'.padStart(9)} ${'CPU/span'.padStart(11)} ${'onEnd med'.padStart(11)} ${'onEnd p99'.padStart(11)}`,
  );
  for (const [name, s] of [
    ['masking + BatchSpanProcessor + gRPC', base],
    ['masking + SpoolingSpanProcessor (durable)', spool],
  ]) {
    console.log(
      `${name.padEnd(40)} ${`${s.delivered}/${scenario.spans}`.padStart(11)} ${s.rate.toFixed(0).padStart(9)} ` +
        `${s.cpu.toFixed(1).padStart(8)} µs ${s.endMedian.toFixed(2).padStart(8)} µs ${s.endP99.toFixed(2).padStart(8)} µs`,
    );
  }
  console.log(
    `ratios spool/baseline: spans/s ${(spool.rate / base.rate).toFixed(2)}×, CPU per span ${(spool.cpu / base.cpu).toFixed(2)}×, ` +
      `onEnd median ${(spool.endMedian / base.endMedian).toFixed(2)}×, p99 ${(spool.endP99 / base.endP99).toFixed(2)}×; ` +
      `added per span end: median ${(spool.endMedian - base.endMedian).toFixed(2)} µs, p99 ${(spool.endP99 - base.endP99).toFixed(2)} µs`,
  );
}

// Burst: BURST spans in one synchronous loop: the stock queue drops past 2048; the spool spills
// batches to disk synchronously inside onEnd instead (the max onEnd shows what one spill costs).
console.log(`\nburst: ${BURST} spans ended in one synchronous loop`);
for (const kind of ['baseline', 'spool']) {
  const pipeline = make(kind, BURST);
  const result = await runScenario(pipeline, receiver, { spans: BURST, roundSize: Number.MAX_SAFE_INTEGER, pauseMillis: 0 });
  const p = percentiles(pipeline.processor.durations, BURST);
  const spills = kind === 'spool' ? `, ${pipeline.spool.synchronousSpills} synchronous spills` : '';
  console.log(
    `${pipeline.name.padEnd(54)} delivered ${result.delivered}/${BURST}; onEnd median ${p.median.toFixed(2)} µs, ` +
      `p99 ${p.p99.toFixed(2)} µs, max ${(p.max / 1000).toFixed(1)} ms${spills}`,
  );
  if (kind === 'spool') spoolLost += BURST - result.delivered;
  await pipeline.close();
}

await receiver.close();
if (spoolLost > 0) {
  console.error(`FAIL: the spool lost ${spoolLost} spans`);
  process.exitCode = 1;
}
