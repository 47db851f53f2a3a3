// Memory with the OTLP backend down for a whole run: setupTelemetry() without the spool (the stock
// BatchSpanProcessor, queue bound 2,048 spans) and with the spool (8 MiB on disk), MEMORY_BENCH_CALLS
// LLM calls each (default 100,000), each mode in its own `node --expose-gc` process. Prints; never
// fails on a number. The caller-safety test runs the same child with fewer calls and asserts bounds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CALLS = Number(process.env.MEMORY_BENCH_CALLS ?? 100_000);
const SPOOL_MAX_BYTES = 8 * 1024 * 1024;
const child = fileURLToPath(new URL('./backend-down-child.mjs', import.meta.url));

function measure(spoolDir) {
  const env = { ...process.env, MEMORY_BENCH_CALLS: String(CALLS) };
  if (spoolDir) Object.assign(env, { MEMORY_BENCH_SPOOL_DIR: spoolDir, MEMORY_BENCH_SPOOL_MAX_BYTES: String(SPOOL_MAX_BYTES) });
  const run = spawnSync(process.execPath, ['--expose-gc', child], { env, encoding: 'utf8', timeout: 15 * 60_000 });
  const line = run.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  if (!line) throw new Error(`the measurement failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

const cpus = os.cpus();
console.log('llm-otel memory with the backend down: setupTelemetry() → closed OTLP port, calls answered in-process from recorded OpenAI bytes');
console.log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${CALLS} calls per mode, half streamed, 16 at a time`);

const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-otel-memory-spool-'));
try {
  const results = [measure(undefined), measure(spoolDir)];
  console.log(
    `\n${'mode'.padEnd(28)} ${'calls/s'.padStart(8)} ${'heap: empty queue'.padStart(18)} ${'baseline'.padStart(9)} ${'after'.padStart(7)} ${'peak'.padStart(7)} ${'kept/call'.padStart(10)} ${'disk peak'.padStart(10)}`,
  );
  for (const result of results) {
    const name = result.mode === 'spool' ? `spool (maxBytes ${SPOOL_MAX_BYTES / 1024 / 1024} MiB)` : 'BatchSpanProcessor (2,048)';
    console.log(
      `${name.padEnd(28)} ${(result.calls / result.seconds).toFixed(0).padStart(8)} ${`${result.heapBeforeQueueMiB} MiB`.padStart(18)} ` +
        `${`${result.heapBaselineMiB}`.padStart(9)} ${`${result.heapAfterMiB}`.padStart(7)} ${`${(result.heapBaselineMiB + result.peakHeapGrowthMiB).toFixed(2)}`.padStart(7)} ` +
        `${`${result.retainedBytesPerCall} B`.padStart(10)} ${result.spoolDiskPeakBytes === undefined ? '-'.padStart(10) : `${(result.spoolDiskPeakBytes / 1024 / 1024).toFixed(2)} MiB`.padStart(10)}`,
    );
    if (result.wrongAnswers > 0 || result.llmSpansEnded !== result.calls) {
      console.log(`  ! ${result.wrongAnswers} wrong answers, ${result.llmSpansEnded}/${result.calls} LLM spans ended`);
      process.exitCode = 1;
    }
  }
  console.log('\nheap = heapUsed after full GC, MiB; baseline after 3,000 warm-up calls (queue in steady state); peak = largest of 20 samples during the run.');
  console.log('kept/call = (after − baseline) / calls: zero or negative means nothing accumulates per call.');
} finally {
  fs.rmSync(spoolDir, { recursive: true, force: true });
}
