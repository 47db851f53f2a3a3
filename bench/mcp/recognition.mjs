// What MCP recognition adds to a POST that is neither an LLM call nor MCP. Two measures:
// 1. the recogniser itself (looksLikeMcpPost from the sources, bundled here with esbuild), in a
//    synchronous loop: the cost, without the noise of a call around it;
// 2. the fetch hook over a fetch that answers at once (no network), MCP recognition on and off, in
//    interleaved rounds: the same cost seen through the public API (noisy on a loaded machine).
// Run: node bench/mcp/recognition.mjs (after `pnpm run build`; MCP_BENCH_CALLS, MCP_BENCH_ROUNDS).
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const esbuild = createRequire(new URL('../../test/package.json', import.meta.url))('esbuild');
const bundled = await esbuild.build({
  entryPoints: [fileURLToPath(new URL('../../packages/instrumentation/src/mcp/mcp-request.ts', import.meta.url))],
  bundle: true,
  format: 'esm',
  platform: 'node',
  write: false,
});
const { looksLikeMcpPost } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const CALLS = Number(process.env.MCP_BENCH_CALLS ?? 20_000);
const ROUNDS = Number(process.env.MCP_BENCH_ROUNDS ?? 7);
const answered = Promise.resolve(new Response(null, { status: 204 }));
globalThis.fetch = () => answered;

// What an app's POSTs to its own services look like: a Headers object (as SDKs build) and a record.
const shapes = {
  Headers: () => new Headers({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer x' }),
  record: () => ({ 'content-type': 'application/json', accept: 'application/json', authorization: 'Bearer x' }),
};
const body = JSON.stringify({ order: 1182, items: [1, 2, 3] });

async function measure(mcpEnabled, makeHeaders) {
  const instrumentation = new LlmInstrumentation({ hooks: { fetch: true, undici: false }, mcp: { enabled: mcpEnabled } });
  const headers = makeHeaders();
  const init = { method: 'POST', headers, body };
  for (let i = 0; i < 2_000; i++) await fetch('http://orders.internal:8080/v1/refunds', init);
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await fetch('http://orders.internal:8080/v1/refunds', init);
  const elapsed = Number(process.hrtime.bigint() - start) / 1000 / CALLS;
  instrumentation.disable();
  return elapsed;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `MCP recognition on a non-MCP POST · node ${process.version} · load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const [name, makeHeaders] of Object.entries({
  ...shapes,
  'undici flat array': () => ['content-type', 'application/json', 'accept', 'application/json', 'authorization', 'Bearer x'],
})) {
  const headers = makeHeaders();
  const perRound = [];
  let seen = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200_000; i++) if (looksLikeMcpPost(headers)) seen++;
    perRound.push(Number(process.hrtime.bigint() - start) / 200_000);
  }
  if (seen !== 0) throw new Error('a non-MCP POST was recognised as MCP');
  console.log(
    `looksLikeMcpPost, headers as ${name}: median ${median(perRound).toFixed(0)} ns per POST (min ${Math.min(...perRound).toFixed(0)} ns over ${ROUNDS} rounds of 200,000)`,
  );
}
for (const [name, makeHeaders] of Object.entries(shapes)) {
  const on = [];
  const off = [];
  for (let round = 0; round < ROUNDS; round++) {
    off.push(await measure(false, makeHeaders));
    on.push(await measure(true, makeHeaders));
  }
  const delta = on.map((value, i) => value - off[i]);
  console.log(
    `headers as ${name}: per call (fetch hook, answered at once) MCP off ${median(off).toFixed(3)} µs, on ${median(on).toFixed(3)} µs; ` +
      `difference median ${median(delta).toFixed(3)} µs (rounds: ${delta.map((d) => d.toFixed(3)).join(', ')})`,
  );
}
