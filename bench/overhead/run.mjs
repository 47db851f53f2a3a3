// Overhead of the LLM instrumentation on real `openai` SDK calls: baseline and instrumented,
// interleaved in one run, in-process (fetch stub) and over loopback (server in another process).
// Prints; never fails on a missed target. Fails if the instrumented calls did not make their spans.
import { createRequire } from 'node:module';
import os from 'node:os';
import { VERSION as OPENAI_VERSION } from 'openai/version';
import { activateContextManager } from './context-manager.mjs';
import { runInProcess } from './in-process-mode.mjs';
import { runLoopback } from './loopback-mode.mjs';
import { printMode, printTargets } from './report.mjs';

const IN_PROCESS = { warmupCalls: 300, callsPerVariant: 2000, roundSize: 25 };
const LOOPBACK = { warmupCalls: 150, callsPerVariant: 1000, roundSize: 25 };

activateContextManager();

const require = createRequire(import.meta.url);
const instrumentationVersion = require('@llm-otel/instrumentation/package.json').version;
const cpus = os.cpus();

console.log('llm-otel overhead benchmark: the same openai SDK calls without and with the instrumentation');
console.log(
  `node ${process.version} · openai ${OPENAI_VERSION} · @llm-otel/instrumentation ${instrumentationVersion} (built dist) · ` +
    `${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
);
const load = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
console.log(`load average before: ${load()} (${cpus.length} CPUs; a higher load inflates every µs below, the added times too)`);
console.log('baseline = instrumentation disabled, instrumented = enabled, same client; rounds alternate A B, B A, ...');

const started = performance.now();
const inProcess = await runInProcess(IN_PROCESS);
const inProcessOverhead = printMode(
  'in-process',
  `globalThis.fetch is a stub returning recorded bytes; ${IN_PROCESS.callsPerVariant} calls per variant and kind ` +
    `(+${IN_PROCESS.warmupCalls} warm-up), rounds of ${IN_PROCESS.roundSize}`,
  inProcess,
);
const loopback = await runLoopback(LOOPBACK);
printMode(
  'loopback',
  `real fetch/undici, keep-alive HTTP to a stand-in server in another process; ${LOOPBACK.callsPerVariant} calls per variant ` +
    `and kind (+${LOOPBACK.warmupCalls} warm-up), rounds of ${LOOPBACK.roundSize}`,
  loopback,
);
printTargets(inProcessOverhead);
console.log(`\nload average after: ${load()}`);
console.log(`total run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
