// Retained heap per in-flight streamed call: IN_FLIGHT openai streams held open after their first
// chunks (the stub fetch stops answering until released), without and with the instrumentation,
// each variant in its own `node --expose-gc` process. Prints; never fails on a number.
// Run: node overhead/in-flight-memory.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 2000);
const variant = process.argv[2];

if (variant === undefined) {
  const results = {};
  for (const name of ['baseline', 'instrumented']) {
    const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), name], {
      encoding: 'utf8',
      env: { ...process.env, IN_FLIGHT: String(IN_FLIGHT) },
    });
    const line = run.stdout.split('\n').find((text) => text.startsWith('RESULT '));
    if (!line) throw new Error(`${name} failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    results[name] = JSON.parse(line.slice('RESULT '.length));
  }
  const { baseline, instrumented } = results;
  console.log(`retained heap per in-flight streamed call (${IN_FLIGHT} openai streams held open after 3 of 12 chunks, heap after GC):`);
  console.log(`  baseline      ${(baseline.perCall / 1024).toFixed(1)} KiB per call`);
  console.log(`  instrumented  ${(instrumented.perCall / 1024).toFixed(1)} KiB per call`);
  console.log(
    `  added         ${((instrumented.perCall - baseline.perCall) / 1024).toFixed(1)} KiB per call (${(instrumented.perCall - baseline.perCall).toFixed(0)} bytes)`,
  );
  console.log(`  spans after release: ${instrumented.spans} of ${IN_FLIGHT}`);
} else {
  await measure(variant);
}

async function measure(name) {
  const { activateContextManager } = await import('./context-manager.mjs');
  const { streamExchange } = await import('./recorded-exchanges.mjs');
  activateContextManager();
  const encoder = new TextEncoder();
  const events = streamExchange.events.map((event) => encoder.encode(event));
  const HELD_AFTER = 3;
  let release;
  const released = new Promise((resolve) => (release = resolve));
  // Like in-process-mode's stub, but the body stops after HELD_AFTER chunks until released.
  globalThis.fetch = async () => {
    let next = 0;
    const body = new ReadableStream({
      async pull(controller) {
        if (next === HELD_AFTER) await released;
        controller.enqueue(events[next++]);
        if (next === events.length) controller.close();
      },
    });
    return new Response(body, { status: streamExchange.status, headers: streamExchange.headers });
  };
  const { startInstrumentation } = await import('./instrumented-pipeline.mjs');
  const pipeline = startInstrumentation();
  if (name === 'baseline') pipeline.instrumentation.disable();
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: 'sk-bench', baseURL: 'https://api.openai.com/v1', maxRetries: 0 });
  // One call first, so lazily loaded code and caches are in the "before" heap of both variants.
  const warm = await client.chat.completions.create(streamExchange.params);
  const warmRead = (async () => {
    for await (const _ of warm);
  })();
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc();
    }
    return process.memoryUsage().heapUsed;
  };
  const before = await settle();
  const readers = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    const stream = await client.chat.completions.create(streamExchange.params);
    const iterator = stream[Symbol.asyncIterator]();
    // Read the first two chunks (three events minus the held one), then keep the stream open.
    await iterator.next();
    await iterator.next();
    readers.push(iterator);
  }
  const during = await settle();
  release();
  await warmRead;
  for (const iterator of readers) while (!(await iterator.next()).done);
  await pipeline.instrumentation.flush();
  await pipeline.flush();
  // The warm-up call's span included.
  const spans = pipeline.exporter.counts.stream - (name === 'baseline' ? 0 : 1);
  console.log(`RESULT ${JSON.stringify({ perCall: (during - before) / IN_FLIGHT, spans })}`);
  await pipeline.stop();
}
