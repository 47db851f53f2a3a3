import { describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture } from '@llm-otel/provider-stand-in';
import { loadAnthropic, loadGoogleGenAI, loadOpenAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, onlyLlmSpan } from './support/spans';

// Issue 9 item 3: the real SDKs pointed at a proxy or gateway base URL nobody registered (the stand-in
// on loopback). Before, each span said `gen_ai.provider.name: _OTHER`; the Anthropic SDK's own span
// says `anthropic`.
const harness = sdkHarness(() => []);

describe('an unregistered gateway', () => {
  test('@anthropic-ai/sdk: anthropic', async () => {
    for (const route of fixtureRoutes('anthropic-messages.json')) harness.standIn.script(route);
    const request = JSON.parse(loadFixture('anthropic-messages.json').entries[0].request.body) as {
      model: string;
      max_tokens: number;
      messages: { role: 'user'; content: string }[];
    };
    const { Anthropic } = await loadAnthropic();
    const call = async () => new Anthropic({ apiKey: 'test', baseURL: harness.standIn.url, maxRetries: 0 }).messages.create(request);
    const { otel } = await harness.sameWithAndWithout(call, []);
    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.usage.input_tokens': 17, 'llm_otel.protocol': 'anthropic.messages' });
    expect(span.attributes['llm_otel.provider.compatible']).toBeUndefined();
  });

  test('@google/genai: gcp.gen_ai (Gemini API or Vertex AI behind the gateway)', async () => {
    const [route] = fixtureRoutes('gemini-generate-content.json');
    harness.standIn.script({ method: 'POST', path: /^\/v1(?:beta)?\/models\/gemini-1\.5-flash:generateContent/, respond: route.respond });
    const { GoogleGenAI } = await loadGoogleGenAI();
    const call = async () => {
      const response = await new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: harness.standIn.url } }).models.generateContent({
        model: 'gemini-1.5-flash',
        contents: 'What is 2+2?',
      });
      return response.text;
    };
    const { otel } = await harness.sameWithAndWithout(call, []);
    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.provider.name': 'gcp.gen_ai', 'gen_ai.usage.input_tokens': 12 });
  });

  test('openai: openai, marked as a compatible server', async () => {
    for (const route of fixtureRoutes('openai-chat.json')) harness.standIn.script(route);
    const request = JSON.parse(loadFixture('openai-chat.json').entries[0].request.body) as { model: string; messages: { role: 'user'; content: string }[] };
    const { OpenAI } = await loadOpenAI();
    const call = async () =>
      (await new OpenAI({ apiKey: 'test', baseURL: `${harness.standIn.url}/v1`, maxRetries: 0 }).chat.completions.create(request)).choices[0].message.content;
    const { otel } = await harness.sameWithAndWithout(call, []);
    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'llm_otel.provider.compatible': true });
  });
});
