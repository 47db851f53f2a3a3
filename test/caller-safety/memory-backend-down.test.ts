import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { runNode } from '../support/node-child';

// The backend is down for 20,000 LLM calls (bench/memory runs the same measurement with 100,000:
// `pnpm --filter @llm-otel/bench run memory`). Each mode runs in its own `node --expose-gc` process
// on the built packages, with fetch answered in-process from recorded OpenAI bytes so that the
// calls are fast; the heap after GC must stay within the queue's bound, the spool within maxBytes.

const CALLS = 20_000;
const SPOOL_MAX_BYTES = 8 * 1024 * 1024;
const HEAP_BOUND_MIB = 50;
const benchDir = fileURLToPath(new URL('../../bench/', import.meta.url));
const child = path.join(benchDir, 'memory', 'backend-down-child.mjs');
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-otel-caller-safety-spool-'));
afterAll(() => fs.rmSync(spoolDir, { recursive: true, force: true }));

interface MemoryResult {
  calls: number;
  wrongAnswers: number;
  llmSpansEnded: number;
  seconds: number;
  heapBeforeQueueMiB: number;
  heapBaselineMiB: number;
  heapAfterMiB: number;
  heapGrowthMiB: number;
  peakHeapGrowthMiB: number;
  peakHeapAboveEmptyQueueMiB: number;
  retainedBytesPerCall: number;
  spoolDiskPeakBytes?: number;
  spoolDiskAfterBytes?: number;
}

async function measure(env: Record<string, string>): Promise<MemoryResult> {
  const exit = await runNode(['--expose-gc', child], { cwd: benchDir, env: { MEMORY_BENCH_CALLS: String(CALLS), ...env }, timeoutMs: 120_000 });
  const line = exit.stdout.split('\n').find((text) => text.startsWith('RESULT '));
  expect(line, `${exit.stdout}\n${exit.stderr}`).toBeDefined();
  const result = JSON.parse(line!.slice('RESULT '.length)) as MemoryResult;
  console.log(`${env.MEMORY_BENCH_SPOOL_DIR ? 'spool' : 'batch'}: ${JSON.stringify(result)}`);
  expect(exit.code).toBe(0);
  return result;
}

function expectBoundedHeap(result: MemoryResult): void {
  expect(result.wrongAnswers).toBe(0);
  expect(result.llmSpansEnded).toBe(CALLS);
  // Everything above the heap with an empty queue: the queue itself (at most 2,048 ended spans) and
  // whatever else set-up holds; nothing that grows with the number of calls.
  expect(result.peakHeapAboveEmptyQueueMiB).toBeLessThan(HEAP_BOUND_MIB);
  expect(result.heapGrowthMiB).toBeLessThan(HEAP_BOUND_MIB);
  // 20,000 calls keeping even 1 KB each would be 20 MB.
  expect(result.retainedBytesPerCall).toBeLessThan(256);
}

describe(`backend down for ${CALLS} LLM calls`, () => {
  test('without the spool: heap after GC stays within the BatchSpanProcessor queue bound (2,048 spans)', async () => {
    expectBoundedHeap(await measure({}));
  }, 150_000);

  test(`with the spool (maxBytes ${SPOOL_MAX_BYTES / 1024 / 1024} MiB): heap bounded, disk under maxBytes`, async () => {
    const result = await measure({ MEMORY_BENCH_SPOOL_DIR: spoolDir, MEMORY_BENCH_SPOOL_MAX_BYTES: String(SPOOL_MAX_BYTES) });
    expectBoundedHeap(result);
    expect(result.spoolDiskPeakBytes).toBeGreaterThan(0);
    expect(result.spoolDiskPeakBytes).toBeLessThanOrEqual(SPOOL_MAX_BYTES);
    expect(result.spoolDiskAfterBytes).toBeLessThanOrEqual(SPOOL_MAX_BYTES);
  }, 150_000);
});
