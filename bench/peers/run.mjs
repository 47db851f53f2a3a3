// Peer benchmark: the same openai 6 calls through no instrumentation (baseline), llm-otel,
// OpenLLMetry (@traceloop/instrumentation-openai) and OpenInference
// (@arizeai/openinference-instrumentation-openai), each variant in a fresh process per round, the
// variants' order rotating from round to round; in-process (canned fetch with the recorded bytes)
// and over loopback (a stand-in server in another process). Prints; never fails on a missed target.
// Fails when a variant did not produce one span per call (no span is a failed run, not a fast one).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { printMode } from './report.mjs';
import { VARIANTS } from './variants.mjs';

const PLANS = {
  'in-process': { rounds: Number(process.env.PEERS_BENCH_ROUNDS ?? 5), warmupCalls: 300, calls: 1000, roundSize: 25 },
  loopback: { rounds: Number(process.env.PEERS_BENCH_ROUNDS ?? 5), warmupCalls: 100, calls: 400, roundSize: 25 },
};

/** The installed version of a dependency of the bench (some packages do not export package.json). */
function versionOf(name) {
  return JSON.parse(readFileSync(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
}

/** Forks `script` with one JSON argument; resolves with the child's first IPC message (or none). */
async function runChild(script, argument) {
  const child = fork(new URL(script, import.meta.url), [JSON.stringify(argument ?? {})], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit');
  const message = await Promise.race([once(child, 'message').then(([m]) => m), exited.then(() => undefined)]);
  return { message, child, exited };
}

async function measureMode(mode, port) {
  const plan = PLANS[mode];
  const results = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  for (let round = 0; round < plan.rounds; round++) {
    // Rotate the order so that no variant always runs first (or right after another).
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    if (round % 2 === 1) order.reverse();
    for (const variant of order) {
      const { message, exited } = await runChild('./child.mjs', { variant, mode, port, ...plan });
      const [code] = await exited;
      if (!message || code !== 0) throw new Error(`${variant} (${mode}) exited with code ${code} before reporting`);
      results[variant].push(message);
    }
  }
  return results;
}

const cpus = os.cpus();
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
console.log('llm-otel peer benchmark: the same openai SDK calls through no instrumentation, llm-otel and its peers');
console.log(
  `node ${process.version} · openai ${versionOf('openai')} · @traceloop/instrumentation-openai ${versionOf('@traceloop/instrumentation-openai')} · ` +
    `@arizeai/openinference-instrumentation-openai ${versionOf('@arizeai/openinference-instrumentation-openai')} · ` +
    `@llm-otel/instrumentation ${versionOf('@llm-otel/instrumentation')} (built dist) · ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
);
console.log(`load average before: ${load()} (${cpus.length} CPUs; a higher load inflates every µs below)`);
console.log(
  'every variant: AsyncLocalStorage context manager, BasicTracerProvider + SimpleSpanProcessor + InMemorySpanExporter, openai required as CommonJS after registering',
);
console.log(
  'per call: wall clock from the call to one macrotask turn (setImmediate) after its result, so deferred span work is timed too; CPU/call: process CPU time (all threads, GC included) over the measured calls / calls',
);

const started = performance.now();
let failed = false;
const inProcessPlan = PLANS['in-process'];
failed = printMode(
  'in-process',
  `globalThis.fetch is a canned one returning the recorded bytes; ${inProcessPlan.rounds} rounds × a fresh process per variant, ` +
    `${inProcessPlan.calls} calls per kind each (+${inProcessPlan.warmupCalls} warm-up)`,
  await measureMode('in-process'),
);
const standIn = await runChild('../overhead/stand-in-server.mjs');
try {
  const loopbackPlan = PLANS.loopback;
  failed =
    printMode(
      'loopback',
      `real fetch/undici, keep-alive HTTP to a stand-in server in another process; ${loopbackPlan.rounds} rounds × a fresh process per variant, ` +
        `${loopbackPlan.calls} calls per kind each (+${loopbackPlan.warmupCalls} warm-up)`,
      await measureMode('loopback', standIn.message.port),
    ) || failed;
} finally {
  standIn.child.disconnect();
  await standIn.exited;
}
console.log(`\nload average after: ${load()}`);
console.log(`total run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) {
  console.error('FAIL: a variant did not produce one span per call');
  process.exitCode = 1;
}
