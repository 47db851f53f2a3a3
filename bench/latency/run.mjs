// What the instrumentation adds between the provider's bytes and the caller, for 4 MB bodies: a 4 MB
// JSON response (last chunk written → response.json() resolved), one 4 MB server-sent event (whole
// read), a 4 MB request body (fetch() → request at the server). Rounds alternate without and with the
// instrumentation in the same run (A B, B A, ...); medians and ratios are printed against the targets
// the caller-safety tests used to assert. Prints; never fails on a number. It fails only when the
// instrumented rounds made no span. (Moved here from test/caller-safety/response-latency.test.ts:
// wall-clock ratios do not hold on a loaded machine; that test keeps the ordering guarantee.)
import http from 'node:http';
import os from 'node:os';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { trace } from '@opentelemetry/api';
import { LlmInstrumentation } from '@llm-otel/instrumentation';

const fetchCapturedEarly = globalThis.fetch;
const CHUNK = 64 * 1024;
const ROUNDS = Number(process.env.LATENCY_BENCH_ROUNDS ?? 9);

const tokens = 'token '.repeat(680_000);
const completion = JSON.stringify({
  id: 'chatcmpl-latency',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: tokens }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 680_000, total_tokens: 680_003 },
});
const bigEvent = `event: response.completed\ndata: ${JSON.stringify({
  type: 'response.completed',
  response: {
    id: 'resp_latency',
    model: 'gpt-4o-mini',
    status: 'completed',
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: tokens }] }],
    usage: { input_tokens: 3, output_tokens: 680_000, total_tokens: 680_003 },
  },
})}\n\n`;

let lastChunkWrittenAt = 0;
let requestArrivedAt = 0;
function sendInChunks(response, body, contentType) {
  response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  let offset = 0;
  const writeMore = () => {
    while (offset + CHUNK < body.length) {
      const accepted = response.write(body.slice(offset, offset + CHUNK));
      offset += CHUNK;
      if (!accepted) return void response.once('drain', writeMore);
    }
    lastChunkWrittenAt = performance.now();
    response.end(body.slice(offset));
  };
  writeMore();
}
const server = http.createServer((request, response) => {
  requestArrivedAt = performance.now();
  request.resume().on('end', () => {
    if (request.url?.includes('/v1/responses')) sendInChunks(response, bigEvent, 'text/event-stream');
    else sendInChunks(response, completion, 'application/json');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function compare(measure) {
  const without = [];
  const withUs = [];
  let spans = 0;
  await measure();
  for (let round = 0; round < ROUNDS; round++) {
    for (const instrumented of round % 2 === 0 ? [false, true] : [true, false]) {
      if (!instrumented) {
        without.push(await measure());
        continue;
      }
      const provider = new BasicTracerProvider({
        spanProcessors: [{ onStart() {}, onEnd: () => (spans += 1), forceFlush: async () => {}, shutdown: async () => {} }],
      });
      const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: base, name: 'openai' }] });
      instrumentation.setTracerProvider(provider);
      try {
        withUs.push(await measure());
        await instrumentation.flush();
      } finally {
        instrumentation.disable();
        trace.disable();
      }
    }
  }
  if (spans !== ROUNDS) throw new Error(`expected ${ROUNDS} spans from the instrumented rounds, got ${spans}`);
  return { without: median(without), withUs: median(withUs) };
}

const chatRequest = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}';
const requestBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'word '.repeat(800_000) }] });
const cases = [
  {
    name: '4 MB JSON, fetch hook: last chunk → json()',
    target: (r) => r.withUs < r.without * 2 + 50,
    targetText: '< 2× + 50 ms',
    measure: async () => {
      const response = await globalThis.fetch(`${base}/v1/chat/completions`, { method: 'POST', body: chatRequest });
      await response.json();
      return performance.now() - lastChunkWrittenAt;
    },
  },
  {
    name: '4 MB JSON, dispatcher hook: last chunk → json()',
    target: (r) => r.withUs < r.without * 2 + 50,
    targetText: '< 2× + 50 ms',
    measure: async () => {
      const response = await fetchCapturedEarly(`${base}/v1/chat/completions`, { method: 'POST', body: chatRequest });
      await response.json();
      return performance.now() - lastChunkWrittenAt;
    },
  },
  {
    name: '4 MB SSE event, whole read',
    target: (r) => r.withUs < r.without * 3 + 50,
    targetText: '< 3× + 50 ms',
    measure: async () => {
      const started = performance.now();
      const response = await fetch(`${base}/v1/responses`, { method: 'POST', body: '{"model":"gpt-4o-mini","input":"hi","stream":true}' });
      await response.text();
      return performance.now() - started;
    },
  },
  {
    name: '4 MB request body, fetch() → request at the server',
    target: (r) => r.withUs - r.without < 100,
    targetText: '< +100 ms',
    measure: async () => {
      const started = performance.now();
      const response = await fetch(`${base}/v1/chat/completions`, { method: 'POST', body: requestBody });
      const untilServer = requestArrivedAt - started;
      await response.arrayBuffer();
      return untilServer;
    },
  },
];

const cpus = os.cpus();
console.log('llm-otel latency on 4 MB bodies: medians of alternating rounds without / with the instrumentation');
console.log(`node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'} · ${ROUNDS} rounds each\n`);
try {
  for (const { name, measure, target, targetText } of cases) {
    const result = await compare(measure);
    const verdict = target(result) ? 'ok' : 'target missed';
    console.log(
      `${name.padEnd(52)} ${result.without.toFixed(1).padStart(8)} ms ${result.withUs.toFixed(1).padStart(8)} ms ` +
        `${`${(result.withUs / result.without).toFixed(2)}×`.padStart(7)} ${`+${(result.withUs - result.without).toFixed(1)} ms`.padStart(11)}  target ${targetText}: ${verdict}`,
    );
  }
} finally {
  server.close();
}
