// The openai SDK, traced by llm-otel: a chat completion (streamed), a Responses API call and an
// embedding. Runs against a local provider stand-in; with OPENAI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-openai start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';
import OpenAI from 'openai';

const example = await startExample({ service: 'openai-example', provider: 'openai', llmCalls: 3 });
const telemetry = setupTelemetry(example.telemetry);
const client = new OpenAI({ baseURL: example.baseUrl, apiKey: example.apiKey });

// Chat completions, streamed; include_usage makes the API report the tokens in the last chunk.
const stream = await client.chat.completions.create({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Say hello to OpenTelemetry in five words.' }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
console.log(`chat:       ${text}`);

// The Responses API.
const response = await client.responses.create({ model: 'gpt-4o-mini', input: 'Tell me a joke about OpenTelemetry' });
console.log(`responses:  ${response.output_text}`);

// Embeddings (the SDK asks for base64 and decodes it itself).
const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'observability for LLM calls' });
console.log(`embeddings: ${embedding.data[0].embedding.length} dimensions`);

await telemetry.shutdown();
await example.finish();
