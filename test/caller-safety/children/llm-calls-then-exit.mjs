// An application that makes a few LLM calls and then simply returns, expecting Node to exit.
// Usage: node llm-calls-then-exit.mjs <provider base url> <none|instrumentation|setup|setup-shutdown> [otlp endpoint]
// `setup` relies on set-up's exit flush; `setup-shutdown` awaits telemetry.shutdown() as its last line.
// Prints `EXIT_LAG_MS <n>`: the time between its last call returning and the process exiting.
import { writeSync } from 'node:fs';
import OpenAI from 'openai';
import * as undici from 'undici';

const [baseUrl, mode, otlpEndpoint] = process.argv.slice(2);

// Captures fetch before any instrumentation: its calls reach us only through the undici dispatcher.
const earlyClient = new OpenAI({ apiKey: 'test', baseURL: `${baseUrl}/v1`, maxRetries: 0 });

let telemetry;
if (mode === 'instrumentation') {
  const { LlmInstrumentation } = await import('@llm-otel/instrumentation');
  const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl, name: 'openai' }] });
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] }));
} else if (mode === 'setup' || mode === 'setup-shutdown') {
  const { setupTelemetry } = await import('@llm-otel/setup');
  telemetry = setupTelemetry({ serviceName: 'exit-test', endpoint: otlpEndpoint, providers: [{ baseUrl, name: 'openai' }], shutdownTimeoutMillis: 2000 });
}

const lateClient = new OpenAI({ apiKey: 'test', baseURL: `${baseUrl}/v1`, maxRetries: 0 });
const messages = [{ role: 'user', content: 'Where is my order 1234?' }];
for (const client of [earlyClient, lateClient]) {
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  // No stream_options.include_usage: the span waits for a token estimate from the worker thread.
  for await (const _chunk of await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true })) {
    // read to the end
  }
}
const body = JSON.stringify({ model: 'gpt-4o-mini', messages });
await (await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body })).json();
await (await undici.request(`${baseUrl}/v1/chat/completions`, { method: 'POST', body })).body.json();
// A response whose body the application never reads.
await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body });

const lastCallReturned = performance.now();
process.on('exit', () => writeSync(1, `EXIT_LAG_MS ${(performance.now() - lastCallReturned).toFixed(0)}\n`));
if (mode === 'setup-shutdown') {
  await telemetry.shutdown();
  writeSync(1, 'SHUTDOWN_RETURNED\n');
}
