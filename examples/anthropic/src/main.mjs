// @anthropic-ai/sdk, traced by llm-otel: messages.create and messages.stream. Runs against a local
// provider stand-in replaying recorded Anthropic bytes; with ANTHROPIC_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-anthropic start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';
import Anthropic from '@anthropic-ai/sdk';

const example = await startExample({ service: 'anthropic-example', provider: 'anthropic', llmCalls: 2 });
const telemetry = setupTelemetry(example.telemetry);
const client = new Anthropic({ baseURL: example.baseUrl, apiKey: example.apiKey });
const MODEL = 'claude-haiku-4-5';

const message = await client.messages.create({
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
});
console.log(`create: ${message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')}`);

const stream = client.messages.stream({
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
});
const final = await stream.finalMessage();
console.log(`stream: ${final.content.map((block) => (block.type === 'text' ? block.text : '')).join('')}`);

await telemetry.shutdown();
await example.finish();
