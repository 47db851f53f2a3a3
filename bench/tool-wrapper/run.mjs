// What one tool wrapper adds to a call (issue 12): the same tool function called bare and through
// `wrapTool` / `executeTool`, in alternating windows of one process, µs per call. The wrapped side
// pays what an application pays: a real BasicTracerProvider with the default BatchSpanProcessor
// over an exporter that discards, the AsyncLocalStorage context manager (registered for both sides,
// as in every OTel Node app). Run after `npx pnpm@10 build`: node bench/tool-wrapper/run.mjs
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { executeTool, LlmInstrumentation, wrapTool } from '@llm-otel/instrumentation';
import { loadavg } from 'node:os';

const CALLS = Number(process.env.TOOL_BENCH_CALLS ?? 20_000);
const ROUNDS = Number(process.env.TOOL_BENCH_ROUNDS ?? 7);

let exported = 0;
const exporter = {
  export(spans, done) {
    for (const span of spans) if (span.attributes['gen_ai.operation.name'] === 'execute_tool') exported++;
    done({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter, { maxQueueSize: 65_536, maxExportBatchSize: 4096 })] });
const instrumentation = new LlmInstrumentation({ hooks: { fetch: false, undici: false } });
instrumentation.setTracerProvider(provider);
instrumentation.enable();

// The tool: small, synchronous work (an order lookup in a map), so the wrapper's cost is visible.
const ORDERS = new Map([['A-1042', { status: 'shipped', carrier: 'DHL' }]]);
const lookup = (args) => ORDERS.get(args.order_id) ?? { status: 'not found' };
const lookupAsync = async (args) => lookup(args);
const wrapped = wrapTool({ name: 'lookup_order', callId: (args) => args.call_id }, lookup);
const wrappedAsync = wrapTool({ name: 'lookup_order', callId: (args) => args.call_id }, lookupAsync);
const args = { order_id: 'A-1042', call_id: 'call_bench' };

const variants = {
  'sync, bare': () => {
    for (let i = 0; i < CALLS; i++) lookup(args);
  },
  'sync, wrapTool': () => {
    for (let i = 0; i < CALLS; i++) wrapped(args);
  },
  'async, bare': async () => {
    for (let i = 0; i < CALLS; i++) await lookupAsync(args);
  },
  'async, wrapTool': async () => {
    for (let i = 0; i < CALLS; i++) await wrappedAsync(args);
  },
  'async, executeTool': async () => {
    for (let i = 0; i < CALLS; i++) await executeTool({ name: 'lookup_order', callId: 'call_bench' }, () => lookupAsync(args));
  },
};

async function timeRound(run) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  // Span ends already happened; the batch export runs on its timer (charged to whichever round it lands in).
  const wall = (performance.now() - start) * 1000;
  const used = process.cpuUsage(cpu);
  return { wall: wall / CALLS, cpu: (used.user + used.system) / CALLS };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

console.log(`tool wrapper bench: ${CALLS} calls per round, ${ROUNDS} rounds, variants alternating; load average before: ${load()}`);
const names = Object.keys(variants);
for (const name of names) await timeRound(variants[name]); // warm-up
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? names : [...names].reverse();
  for (const name of order) samples[name].push(await timeRound(variants[name]));
}
await provider.forceFlush();
const expected = CALLS * (ROUNDS + 1) * 3;
console.log('');
console.log('variant                 µs/call (median wall)   CPU µs/call   added over bare (wall / CPU)');
for (const name of names) {
  const wall = median(samples[name].map((sample) => sample.wall));
  const cpu = median(samples[name].map((sample) => sample.cpu));
  const bare = name.startsWith('sync') ? 'sync, bare' : 'async, bare';
  const bareWall = median(samples[bare].map((sample) => sample.wall));
  const bareCpu = median(samples[bare].map((sample) => sample.cpu));
  const added = name.endsWith('bare') ? '' : `${(wall - bareWall).toFixed(2)} / ${(cpu - bareCpu).toFixed(2)}`;
  console.log(`${name.padEnd(22)}  ${wall.toFixed(3).padStart(10)}              ${cpu.toFixed(3).padStart(8)}      ${added}`);
}
console.log('');
console.log(`execute_tool spans exported: ${exported} of ${expected}; load average after: ${load()}`);
instrumentation.disable();
await provider.shutdown();
if (exported !== expected) {
  // A wrapper that made no span would look free.
  console.error(`tool wrapper bench: expected ${expected} execute_tool spans, got ${exported}`);
  process.exitCode = 1;
}
