// Plain fetch, no SDK: llm-otel sees the call through its fetch hook and parses the provider's protocol
// (here OpenAI chat completions). Runs against a local provider stand-in; with OPENAI_API_KEY set,
// against the real API. Run: pnpm --filter @llm-otel/example-fetch start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';

const example = await startExample({ service: 'fetch-example', provider: 'openai', llmCalls: 1 });
const telemetry = setupTelemetry(example.telemetry);
const baseUrl = example.baseUrl ?? 'https://api.openai.com/v1';

const response = await fetch(`${baseUrl}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${example.apiKey}` },
  body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello to OpenTelemetry in five words.' }] }),
});
const completion = await response.json();
console.log(`fetch: ${completion.choices[0].message.content}`);

await telemetry.shutdown();
await example.finish();
