// What MCP recognition adds to a POST that is neither an LLM call nor MCP: the fetch hook over a
// fetch that answers at once (no network, so the few header reads are not lost in socket noise),
// with MCP recognition on and off, in interleaved rounds. Run: node bench/mcp/recognition.mjs
// (after `pnpm run build`; MCP_BENCH_CALLS, MCP_BENCH_ROUNDS).
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { loadavg } from 'node:os';

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
console.log(`MCP recognition on a non-MCP POST · node ${process.version} · load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
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
