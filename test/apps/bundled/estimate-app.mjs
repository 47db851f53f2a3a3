// An application that a test bundles with esbuild (everything in one file, as a server build does)
// and runs from a directory of its own. It streams one chat completion without usage, so its span
// needs a token estimate from the worker thread, and prints that span's attributes.
// Usage: node app.mjs   (prints `SPAN {...attributes}`)
import http from 'node:http';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const events = [
  {
    id: 'chatcmpl-b',
    object: 'chat.completion.chunk',
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta: { role: 'assistant', content: 'Your order ships today.' }, finish_reason: null }],
  },
  { id: 'chatcmpl-b', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
];

async function main() {
  const server = http.createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;

  const exporter = new InMemorySpanExporter();
  const instrumentation = new LlmInstrumentation({ providers: [{ baseUrl, name: 'openai' }] });
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));

  const body = JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Where is my order?' }] });
  const response = await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body });
  await response.text();
  await instrumentation.flush(20_000);
  const [span] = exporter.getFinishedSpans();
  console.log(`SPAN ${JSON.stringify(span?.attributes ?? null)}`);
  server.close();
}

main();
