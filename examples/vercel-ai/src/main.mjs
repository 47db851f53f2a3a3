// The Vercel AI SDK (`ai` with @ai-sdk/openai), traced by llm-otel: generateText and streamText. Runs
// against a local provider stand-in; with OPENAI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-vercel-ai start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';

const example = await startExample({ service: 'vercel-ai-example', provider: 'openai', llmCalls: 2 });
const telemetry = setupTelemetry(example.telemetry);
const openai = createOpenAI({ baseURL: example.baseUrl, apiKey: example.apiKey });

const generated = await generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Say hello to OpenTelemetry in five words.' });
console.log(`generateText: ${generated.text}`);

const streamed = streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Name three signals of OpenTelemetry.' });
let text = '';
for await (const delta of streamed.textStream) text += delta;
console.log(`streamText:   ${text}`);

await telemetry.shutdown();
await example.finish();
