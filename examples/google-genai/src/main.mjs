// @google/genai (Gemini API), traced by llm-otel: models.generateContent. Runs against a local provider
// stand-in replaying a recorded Gemini response; with GEMINI_API_KEY set, against the real API.
// Run: pnpm --filter @llm-otel/example-google-genai start
import { setupTelemetry } from '@llm-otel/setup';
import { startExample } from '@llm-otel/examples-support';
import { GoogleGenAI } from '@google/genai';

const example = await startExample({ service: 'google-genai-example', provider: 'gemini', llmCalls: 1 });
const telemetry = setupTelemetry(example.telemetry);
const ai = new GoogleGenAI({ apiKey: example.apiKey, ...(example.baseUrl ? { httpOptions: { baseUrl: example.baseUrl } } : {}) });

const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'What is 2+2? Give a brief answer.' });
console.log(`generateContent: ${response.text}`);

await telemetry.shutdown();
await example.finish();
