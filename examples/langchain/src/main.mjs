// LangChain (@langchain/openai), traced by llm-otel: ChatOpenAI.invoke and ChatOpenAI.stream. Runs
// against a local provider stand-in; with OPENAI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-langchain start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';
import { ChatOpenAI } from '@langchain/openai';

const example = await startExample({ service: 'langchain-example', provider: 'openai', llmCalls: 2 });
const telemetry = setupTelemetry(example.telemetry);
const model = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: example.apiKey, configuration: { baseURL: example.baseUrl } });

const answer = await model.invoke('Say hello to OpenTelemetry in five words.');
console.log(`invoke: ${answer.content}`);

let text = '';
for await (const chunk of await model.stream('Name three signals of OpenTelemetry.')) text += chunk.content;
console.log(`stream: ${text}`);

await telemetry.shutdown();
await example.finish();
