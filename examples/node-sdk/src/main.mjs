// An existing NodeSDK app with llm-otel's instrumentation and processor (telemetry.mjs), making an
// openai chat call whose prompt holds an e-mail address: the span reaches the backend masked. Runs against
// a local provider stand-in; with OPENAI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-node-sdk start
import { trace } from '@opentelemetry/api';
import { startExample } from '@llm-otel/examples-support';
import OpenAI from 'openai';
import { startTelemetry } from './telemetry.mjs';

const example = await startExample({ service: 'node-sdk-example', provider: 'openai', llmCalls: 1 });
const sdk = startTelemetry({ serviceName: 'node-sdk-example', url: example.otlpTracesUrl, providers: example.telemetry.providers });
const client = new OpenAI({ baseURL: example.baseUrl, apiKey: example.apiKey });

// The app's own span, as any NodeSDK app has; the LLM span is its child.
await trace.getTracer('node-sdk-example').startActiveSpan('handle ticket jane.doe@example.com', async (span) => {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Summarise the ticket of jane.doe@example.com in one line.' }],
  });
  console.log(`chat: ${completion.choices[0].message.content}`);
  span.end();
});

await sdk.shutdown();
await example.finish();
