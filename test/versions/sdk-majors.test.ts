import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, realisticChatRoute } from '@llm-otel/provider-stand-in';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { standInForFile } from '../support/recorded-calls';
import { MODERN_NODE } from '../support/sdk-versions';

// Issue 15 item 5: both supported majors of @google/genai (2, 3) and of the Vercel AI SDK (ai 6 + @ai-sdk/openai
// 3, ai 7 + @ai-sdk/openai 4) on every Node leg where each runs, one smoke call each (the full suites in
// test/sdk/ run one major per leg: the newest the leg supports). @anthropic-ai/sdk has one supported major (1.x),
// run on both legs by test/sdk/anthropic.test.ts.

const NEEDS_22 = `needs Node >= 22, this is Node ${process.versions.node}`;
const standIn = standInForFile();
let otel: InstrumentedUnderTest | undefined;
beforeAll(() => {
  standIn().script(realisticChatRoute({ path: '/v1/chat/completions' }));
  const [recorded] = fixtureRoutes('gemini-generate-content');
  standIn().script({ method: 'POST', path: /:generateContent$/, respond: recorded.respond });
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

/** `openai`: name the stand-in's /v1/ the OpenAI API (@google/genai 3 calls /v1/models/… on the same stand-in, so only where needed). */
function instrument(openai = false): InstrumentedUnderTest {
  otel = instrumentInMemory({ providers: openai ? [{ baseUrl: `${standIn().url}/v1`, name: 'openai' }] : [] });
  return otel;
}

type GoogleGenAIModule = typeof import('@google/genai');
const GENAI = [
  { major: 2, load: () => import('@google/genai') as Promise<GoogleGenAIModule>, runs: true },
  { major: 3, load: () => import('google-genai-v3') as Promise<GoogleGenAIModule>, runs: MODERN_NODE },
];

describe.each(GENAI)('@google/genai $major', ({ major, load, runs }) => {
  if (!runs) console.warn(`@google/genai ${major} smoke test skipped: it ${NEEDS_22}`);
  test.skipIf(!runs)('models.generateContent: one generate_content span with usage', async () => {
    const { GoogleGenAI } = await load();
    const otel = instrument();
    const ai = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: standIn().url } });
    const response = await ai.models.generateContent({ model: 'gemini-1.5-flash', contents: 'What is 2+2? Give a brief answer.' });
    expect(response.text?.trim()).toBe('4');
    const [span] = await otel.spans(1);
    expect(span.name).toBe('generate_content gemini-1.5-flash');
    expect(span.attributes).toMatchObject({ 'gen_ai.provider.name': 'gcp.gen_ai', 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 2 });
  });
});

type AiModule = typeof import('ai');
type AiOpenAIModule = typeof import('@ai-sdk/openai');
const VERCEL_AI = [
  { major: 6, load: async () => [(await import('ai')) as AiModule, (await import('@ai-sdk/openai')) as AiOpenAIModule] as const, runs: true },
  { major: 7, load: async () => [(await import('ai-v7')) as AiModule, (await import('@ai-sdk/openai-v4')) as AiOpenAIModule] as const, runs: MODERN_NODE },
];

describe.each(VERCEL_AI)('ai $major', ({ major, load, runs }) => {
  if (!runs) console.warn(`ai ${major} smoke test skipped: it ${NEEDS_22}`);
  test.skipIf(!runs)('generateText and streamText with @ai-sdk/openai: one chat span each with usage', async () => {
    const [ai, { createOpenAI }] = await load();
    const otel = instrument(true);
    const openai = createOpenAI({ apiKey: 'test', baseURL: `${standIn().url}/v1` });
    const generated = await ai.generateText({ model: openai.chat('gpt-4o-mini'), prompt: 'Where is my order?', maxRetries: 0 });
    expect(generated.text.length).toBeGreaterThan(0);
    const streamed = ai.streamText({ model: openai.chat('gpt-4o-mini'), prompt: 'Where is my order?', maxRetries: 0 });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    const spans = await otel.spans(2);
    expect(spans.map((span) => span.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
    for (const span of spans) expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
    expect(spans[1].attributes['gen_ai.request.stream']).toBe(true);
  });
});
