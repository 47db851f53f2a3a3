import { readFileSync } from 'node:fs';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as undici from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { realisticChatStream } from '@llm-otel/provider-stand-in';
import { settledHeapBytes } from './support/heap';
import { watchProcessFailures } from './support/process-failures';
import { startStandInProcess, type StandInProcess } from './support/stand-in-process';

// 10,000 streamed chat completions open at once through the fetch hook, against the stand-in in its
// own process. Every caller gets its own complete, correct stream; exactly one span per call; no
// error anywhere; and once the spans have ended, the heap is back near where it started.

const WANTED_STREAMS = 10_000;
/**
 * Pause between a stream's SSE events. A stream has 5 events (the tool call, its arguments, finish,
 * usage, [DONE]), so it stays open 4 × 9 s: longer than it takes to open all of them on a loaded
 * 2-core machine (about 25-35 s, most of it undici's connection set-up, with or without us).
 */
const CHUNK_DELAY_MS = 9000;
/** Streams are opened in waves (each wave's headers awaited) so that connects do not overflow the listen backlog. */
const WAVE = 500;
/** File descriptors the test process needs besides one socket per stream. */
const FD_RESERVE = 1000;

/** The soft limit on open files (`ulimit -n`), from /proc on Linux. */
function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : Infinity;
  } catch {
    return Infinity;
  }
}

const fdLimit = openFileLimit();
// Each open stream holds one socket in this process. Below ~11k files we cannot open 10k at once;
// then the test opens as many as the limit allows (and says so) rather than failing on EMFILE.
const STREAMS = Math.min(WANTED_STREAMS, fdLimit - FD_RESERVE);

// A tool without parameters keeps each stream short (an agent's tool call); the question makes every
// request, and so every stream's ids, unique.
const tools = [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } } }];
function requestBody(index: number): string {
  return JSON.stringify({
    model: 'gpt-4o-mini',
    stream: true,
    stream_options: { include_usage: true },
    tools,
    messages: [{ role: 'user', content: `Where is my order ${10_000 + index}?` }],
  });
}

/** Counts and checks LLM spans without keeping them (an in-memory exporter would hold 10k spans). */
class CountingProcessor implements SpanProcessor {
  count = 0;
  withoutUsage = 0;
  wrongFinish = 0;
  onStart(): void {}
  onEnd(span: ReadableSpan): void {
    if (span.attributes['gen_ai.operation.name'] === undefined) return;
    this.count += 1;
    if (typeof span.attributes['gen_ai.usage.output_tokens'] !== 'number') this.withoutUsage += 1;
    if (String(span.attributes['gen_ai.response.finish_reasons']) !== 'tool_calls') this.wrongFinish += 1;
  }
  forceFlush = () => Promise.resolve();
  shutdown = () => Promise.resolve();
}

let standIn: StandInProcess;
let instrumentation: LlmInstrumentation;
const spans = new CountingProcessor();

beforeAll(async () => {
  standIn = await startStandInProcess(['--scenario', 'realistic-chat']);
  instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [spans] }));
});
afterAll(async () => {
  instrumentation?.disable();
  trace.disable();
  await standIn?.close();
});

async function waitForSpans(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (spans.count < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

test(`${STREAMS} concurrent streamed chat completions: all complete and correct, one span each, heap back near baseline`, async () => {
  if (STREAMS < WANTED_STREAMS) console.log(`open-file limit ${fdLimit}: running ${STREAMS} concurrent streams instead of ${WANTED_STREAMS}`);
  const failures = watchProcessFailures();
  const url = `${standIn.url}/v1/chat/completions`;
  const call = async (index: number, delayMs: number) => {
    const response = await fetch(url, { method: 'POST', headers: { 'x-stand-in-chunk-delay-ms': String(delayMs) }, body: requestBody(index) });
    return response;
  };

  // Warm-up (connection code, JIT, the tokenizer worker), then the baseline.
  for (let index = 0; index < 20; index++) await (await call(index, 0)).text();
  await waitForSpans(20, 20_000);
  const baseline = await settledHeapBytes();
  const started = performance.now();

  let open = 0;
  let peakOpen = 0;
  let lastOpenedAt = 0;
  const errors: unknown[] = [];
  // Each caller's bytes must be exactly the stream the stand-in generates for its own request.
  const readStream = async (index: number, response: Response) => {
    const text = await response.text();
    open -= 1;
    return response.status === 200 && text === realisticChatStream(requestBody(index)).join('');
  };
  const reads: Promise<boolean>[] = [];
  for (let first = 0; first < STREAMS; first += WAVE) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(WAVE, STREAMS - first) }, async (_, offset) => {
        const index = first + offset;
        try {
          const response = await call(index, CHUNK_DELAY_MS);
          open += 1;
          peakOpen = Math.max(peakOpen, open);
          lastOpenedAt = performance.now();
          // Wrapped, so that the wave waits for the headers only, not for the stream to end.
          const read = readStream(index, response).catch((error: unknown) => {
            errors.push(error);
            return false;
          });
          return { read };
        } catch (error) {
          errors.push(error);
          return { read: Promise.resolve(false) };
        }
      }),
    );
    reads.push(...wave.map((opened) => opened.read));
  }
  const results = await Promise.all(reads);
  const streamsDone = performance.now();
  await waitForSpans(STREAMS + 20, 30_000);
  const spansDone = performance.now();
  // The pool keeps up to 10k idle keep-alive connections (the stand-in allows 65 s); they are
  // undici's, not ours, so close them before looking at the heap.
  await (undici.getGlobalDispatcher() as undici.Dispatcher).close();
  const after = await settledHeapBytes();
  const correct = results.filter(Boolean).length;
  console.log(
    `${STREAMS} streams: ${correct} complete and correct, peak ${peakOpen} open at once, ${errors.length} errors; ` +
      `all open after ${((lastOpenedAt - started) / 1000).toFixed(1)} s, streams done in ${((streamsDone - started) / 1000).toFixed(1)} s, spans ${((spansDone - started) / 1000).toFixed(1)} s; ` +
      `${spans.count - 20} spans (${spans.withoutUsage} without usage); heap after GC ${(baseline / 1e6).toFixed(1)} MB → ${(after / 1e6).toFixed(1)} MB`,
  );
  failures.stop();

  expect(errors.slice(0, 3)).toEqual([]);
  expect(correct).toBe(STREAMS);
  // Every stream was open at the same time as all the others.
  expect(peakOpen).toBe(STREAMS);
  expect(spans.count).toBe(STREAMS + 20);
  expect(spans.withoutUsage).toBe(0);
  expect(spans.wrongFinish).toBe(0);
  expect(failures.errors).toEqual([]);
  expect(after - baseline).toBeLessThan(32 * 1024 * 1024);
}, 150_000);
