// One measurement, in its own process (run with --expose-gc): setupTelemetry() pointed at an OTLP
// endpoint where nothing listens, then MEMORY_BENCH_CALLS LLM calls (half streamed) answered in-process
// from recorded OpenAI bytes. Prints one line `RESULT <json>`: heap after GC with the queue empty, after
// a warm-up (baseline) and after the calls, the largest heap after GC seen during them (sampled 20
// times), bytes kept per call, and the spool's disk use.
//
// Environment: MEMORY_BENCH_CALLS (default 100000), MEMORY_BENCH_SPOOL_DIR (spool on when set),
// MEMORY_BENCH_SPOOL_MAX_BYTES (default 8 MiB).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { recordedFetch } from '../overhead/in-process-mode.mjs';
import { plainExchange, streamExchange } from '../overhead/recorded-exchanges.mjs';

const CALLS = Number(process.env.MEMORY_BENCH_CALLS ?? 100_000);
const SPOOL_DIR = process.env.MEMORY_BENCH_SPOOL_DIR;
const SPOOL_MAX_BYTES = Number(process.env.MEMORY_BENCH_SPOOL_MAX_BYTES ?? 8 * 1024 * 1024);
const WARMUP_CALLS = 3000;
const CONCURRENCY = 16;
const SAMPLE_EVERY = Math.max(1000, Math.floor(CALLS / 20));
const URL_ = 'https://api.openai.com/v1/chat/completions';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function settledHeap() {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    globalThis.gc();
  }
  return process.memoryUsage().heapUsed;
}

function directoryBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    try {
      total += entry.isDirectory() ? directoryBytes(full) : fs.statSync(full).size;
    } catch {
      // renamed or deleted between readdir and stat
    }
  }
  return total;
}

// The fetch hook wraps whatever globalThis.fetch is when set-up runs: the stub must come first.
globalThis.fetch = recordedFetch;
const { setupTelemetry } = await import('@llm-otel/setup');

/** Counts LLM spans as they end (runs before masking and the queue), so a run that made none cannot pass. */
const ended = {
  count: 0,
  onStart() {},
  onEnd(span) {
    if (span.attributes['gen_ai.operation.name'] !== undefined) this.count += 1;
  },
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

const telemetry = setupTelemetry({
  serviceName: 'memory-bench',
  endpoint: `http://127.0.0.1:${await closedPort()}`,
  handleSignals: false,
  spanProcessors: [ended],
  spool: SPOOL_DIR ? { dir: SPOOL_DIR, maxBytes: SPOOL_MAX_BYTES } : false,
});

const plainRequest = JSON.stringify(plainExchange.params);
const streamRequest = JSON.stringify(streamExchange.params);
let issued = 0;
let wrong = 0;

async function calls(count, onProgress) {
  const last = issued + count;
  const worker = async () => {
    while (issued < last) {
      const streamed = issued++ % 2 === 1;
      const response = await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: streamed ? streamRequest : plainRequest });
      if (streamed) {
        if (!(await response.text()).endsWith('data: [DONE]\n\n')) wrong += 1;
      } else if (!(await response.json()).choices) {
        wrong += 1;
      }
      if (issued % SAMPLE_EVERY === 0) await onProgress?.();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

const mib = (bytes) => Number((bytes / 1024 / 1024).toFixed(2));

// The heap before the queue has anything in it (a few calls compile the code paths), then after a
// warm-up that fills the queue (or the spool) to its steady state.
await calls(50);
const beforeQueue = await settledHeap();
await calls(WARMUP_CALLS - 50);
const baseline = await settledHeap();
let peakHeap = baseline;
let peakDisk = SPOOL_DIR ? directoryBytes(SPOOL_DIR) : 0;
let sampling = false;
const started = performance.now();
await calls(CALLS, async () => {
  if (sampling) return;
  sampling = true;
  peakHeap = Math.max(peakHeap, await settledHeap());
  if (SPOOL_DIR) peakDisk = Math.max(peakDisk, directoryBytes(SPOOL_DIR));
  sampling = false;
});
const seconds = (performance.now() - started) / 1000;
await new Promise((resolve) => setTimeout(resolve, 200)); // the last span ends
const after = await settledHeap();
peakHeap = Math.max(peakHeap, after);
const diskAfter = SPOOL_DIR ? directoryBytes(SPOOL_DIR) : 0;
peakDisk = Math.max(peakDisk, diskAfter);

const result = {
  mode: SPOOL_DIR ? 'spool' : 'batch',
  calls: CALLS,
  wrongAnswers: wrong,
  llmSpansEnded: ended.count - WARMUP_CALLS,
  seconds: Number(seconds.toFixed(1)),
  heapBeforeQueueMiB: mib(beforeQueue),
  heapBaselineMiB: mib(baseline),
  heapAfterMiB: mib(after),
  heapGrowthMiB: mib(after - baseline),
  peakHeapGrowthMiB: mib(peakHeap - baseline),
  peakHeapAboveEmptyQueueMiB: mib(peakHeap - beforeQueue),
  retainedBytesPerCall: Number(((after - baseline) / CALLS).toFixed(1)),
  rssMiB: mib(process.memoryUsage().rss),
  spoolMaxBytes: SPOOL_DIR ? SPOOL_MAX_BYTES : undefined,
  spoolDiskPeakBytes: SPOOL_DIR ? peakDisk : undefined,
  spoolDiskAfterBytes: SPOOL_DIR ? diskAfter : undefined,
};
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);

// The backend is down: shutdown cannot deliver anything; give it a moment, then leave.
await Promise.race([telemetry.shutdown().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3000))]);
process.exit(0);
