// An application that a test bundles with esbuild (everything in one file, no node_modules beside it),
// with @llm-otel/setup at its defaults but the endpoint, and the spool when LLM_OTEL_SPOOL_DIR is set.
// It makes one chat completion against a local server and shuts down: the LLM span must reach the
// receiver through what set-up loads only at the first export (the gRPC exporter, or the spool's
// transport), which the bundler must have seen.
// Usage: OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:PORT APP_SERVICE_NAME=name node app.(c|m)js   (prints `DONE`)
import http from 'node:http';
import { setupTelemetry } from '@llm-otel/setup';

const completion = {
  id: 'chatcmpl-bundled',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Your order ships today.' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
};

async function main() {
  const server = http.createServer((request, response) => {
    request.resume().on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(completion));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const telemetry = setupTelemetry({ serviceName: process.env.APP_SERVICE_NAME, handleSignals: false, providers: [{ baseUrl, name: 'openai' }] });
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
  await (await fetch(`${baseUrl}/v1/chat/completions`, { method: 'POST', body })).json();
  await telemetry.shutdown();
  server.close();
  console.log('DONE');
}

main();
