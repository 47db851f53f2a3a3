import { describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture } from '@llm-otel/provider-stand-in';
import { loadGoogleGenAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { googleErrorBody, thinkingAnswer, THINKING_ANSWER, thinkingJsonArrayStream, thinkingSseStream } from './wire/gemini';

// @google/genai (3 on Node 22+, 2 on Node 20) against the stand-in, registered as `gcp.gemini` (the
// name generativelanguage.googleapis.com gets). The model is in the URL path, not in the body.
const harness = sdkHarness((url) => [{ baseUrl: url, name: 'gcp.gemini' }]);

async function client(retry?: { attempts: number }) {
  const { GoogleGenAI } = await loadGoogleGenAI();
  const retryOptions = retry && { attempts: retry.attempts, initialDelay: 0.001, maxDelay: 0.001, jitter: 0 };
  return new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: harness.standIn.url, retryOptions } });
}

/** Gemini API paths: @google/genai 3 defaults to /v1, 2 to /v1beta. */
const modelPath = (model: string, method: string) => new RegExp(`^/v1(?:beta)?/models/${model.replace('.', '\\.')}:${method}(?:\\?|$)`);
const recordedAnswer = () => fixtureRoutes('gemini-generate-content.json')[0].respond;

/** The SDK's result without the HTTP headers it keeps (they hold the server's `date`). */
function sdkResult(response: { sdkHttpResponse?: unknown }): unknown {
  const { sdkHttpResponse: _headers, ...result } = response;
  return JSON.parse(JSON.stringify(result));
}

// gemini-2.5-flash per 1M tokens: $0.30 input, $0.03 cached input, $2.50 output (thinking included).
const { prompt, cached, candidates, thoughts } = THINKING_ANSWER;
const THINKING_COST = ((prompt - cached) * 0.3 + cached * 0.03 + (candidates + thoughts) * 2.5) / 1e6;
const THINKING_USAGE = {
  'gen_ai.usage.input_tokens': prompt,
  'gen_ai.usage.cache_read.input_tokens': cached,
  'gen_ai.usage.output_tokens': candidates + thoughts,
  'gen_ai.usage.reasoning.output_tokens': thoughts,
};

describe('models.generateContent', () => {
  test('the recorded answer: generate_content, model from the URL, generation config, id, usage, cost', async () => {
    harness.standIn.script({ method: 'POST', path: modelPath('gemini-1.5-flash', 'generateContent'), respond: recordedAnswer() });
    const recorded = JSON.parse(loadFixture('gemini-generate-content.json').entries[0].response.body) as Record<string, unknown>;
    const call = async () =>
      (await client()).models.generateContent({
        model: 'gemini-1.5-flash',
        contents: 'What is 2+2? Give a brief answer.',
        config: { temperature: 0.2, topP: 0.8, topK: 20, maxOutputTokens: 64, candidateCount: 1, seed: 3, stopSequences: ['END'] },
      });
    const uninstrumented = await call();
    const otel = harness.instrument();
    const response = await call();
    expect(sdkResult(response)).toEqual(sdkResult(uninstrumented));
    expect(sdkResult(response)).toEqual(recorded);
    expect(response.text).toBe('4\n');

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('generate_content gemini-1.5-flash');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-1.5-flash',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.8,
      'gen_ai.request.top_k': 20,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.choice.count': 1,
      'gen_ai.request.seed': 3,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.response.id': 'tIuraI-sMvKbkdUPqo700Aw',
      'gen_ai.response.model': 'gemini-1.5-flash',
      'gen_ai.response.finish_reasons': ['STOP'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 2,
      'llm_otel.protocol': 'gcp.gemini.generate_content',
      'llm_otel.hook': 'fetch',
      'http.response.status_code': 200,
    });
    // gemini-1.5-flash: $0.075 input, $0.30 output per 1M tokens.
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo((12 * 0.075 + 2 * 0.3) / 1e6, 12);
  });

  test('thinking: thoughtsTokenCount is inside output tokens, cached tokens inside input tokens, each priced at its rate', async () => {
    harness.standIn.script({
      method: 'POST',
      path: modelPath('gemini-2.5-flash', 'generateContent'),
      respond: { headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify(thinkingAnswer(), null, 2) },
    });
    const call = async () =>
      (await client()).models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'Can I still return the blender I got three weeks ago?',
        config: { systemInstruction: 'You are the support agent of an online shop.', thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } },
      });
    const uninstrumented = await call();
    const otel = harness.instrument();
    const response = await call();
    expect(sdkResult(response)).toEqual(sdkResult(uninstrumented));
    expect(response.usageMetadata?.thoughtsTokenCount).toBe(thoughts);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('generate_content gemini-2.5-flash');
    expect(span.attributes).toMatchObject({
      'gen_ai.response.id': THINKING_ANSWER.responseId,
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.response.finish_reasons': ['STOP'],
      ...THINKING_USAGE,
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(THINKING_COST, 12);
  });
});

describe('models.generateContentStream', () => {
  test('SSE (alt=sse): every chunk reaches the SDK, the last running usage counts, time to first chunk', async () => {
    harness.standIn.script({
      method: 'POST',
      path: modelPath('gemini-2.5-flash', 'streamGenerateContent'),
      respond: { headers: { 'content-type': 'text/event-stream' }, chunks: thinkingSseStream() },
    });
    const call = async () => {
      const stream = await (await client()).models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: 'Can I still return the blender I got three weeks ago?',
        config: { temperature: 0.4, thinkingConfig: { includeThoughts: true } },
      });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(sdkResult(chunk));
      return chunks;
    };
    const { result: chunks, otel } = await harness.sameWithAndWithout(call);
    expect(chunks).toHaveLength(3);
    expect(harness.standIn.requests.at(-1)!.path).toMatch(/^\/v1(?:beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('generate_content gemini-2.5-flash');
    expect(span.attributes).toMatchObject({
      'gen_ai.request.model': 'gemini-2.5-flash',
      'gen_ai.request.temperature': 0.4,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': THINKING_ANSWER.responseId,
      'gen_ai.response.finish_reasons': ['STOP'],
      'llm_otel.response.event_count': 3,
      'llm_otel.hook': 'fetch',
      ...THINKING_USAGE,
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(THINKING_COST, 12);
    expectTimeToFirstChunk(span);
  });

  test('the REST default without alt=sse (plain fetch): a JSON array read element by element', async () => {
    harness.standIn.script({
      method: 'POST',
      path: modelPath('gemini-2.5-flash', 'streamGenerateContent'),
      respond: { headers: { 'content-type': 'application/json; charset=UTF-8' }, chunks: thinkingJsonArrayStream() },
    });
    const otel = harness.instrument();
    const response = await fetch(`${harness.standIn.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'test' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Can I still return the blender?' }] }] }),
    });
    const elements = (await response.json()) as unknown[];
    expect(elements).toHaveLength(3);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({ 'gen_ai.request.stream': true, 'llm_otel.response.event_count': 3, ...THINKING_USAGE });
    expectTimeToFirstChunk(span);
  });
});

describe('errors, retries, hooks and parents', () => {
  test('a retried 503 (retryOptions): one span per attempt, error.type from the body the SDK read, usage only on the answer', async () => {
    harness.standIn.script({ method: 'POST', path: modelPath('gemini-1.5-flash', 'generateContent'), respond: recordedAnswer() });
    harness.standIn.script({
      method: 'POST',
      path: modelPath('gemini-1.5-flash', 'generateContent'),
      times: 1,
      respond: {
        status: 503,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: googleErrorBody(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
      },
    });
    const otel = harness.instrument();
    const response = await (await client({ attempts: 2 })).models.generateContent({ model: 'gemini-1.5-flash', contents: 'What is 2+2? Give a brief answer.' });
    expect(response.text).toBe('4\n');

    const [first, second] = await exactlySpans(otel, 2);
    expect(first.status).toEqual({ code: 2, message: 'The model is overloaded. Please try again later.' });
    expect(first.attributes).toMatchObject({ 'error.type': 'UNAVAILABLE', 'http.response.status_code': 503 });
    expect(first.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(first.attributes['gen_ai.usage.cost']).toBeUndefined();
    // @google/genai marks no retry on the wire, so neither attempt says it is a resend.
    expect(first.attributes['http.request.resend_count']).toBeUndefined();
    expect(second.attributes['http.request.resend_count']).toBeUndefined();
    expect(second.attributes).toMatchObject({ 'http.response.status_code': 200, 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 2 });
    expect(second.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
  });

  test('a client constructed before set-up still goes through the fetch hook (the SDK calls the global fetch per request); the app span is the parent', async () => {
    harness.standIn.script({ method: 'POST', path: modelPath('gemini-1.5-flash', 'generateContent'), respond: recordedAnswer() });
    const early = await client();
    const otel = harness.instrument();
    const { parentId } = await inAppSpan(otel, () =>
      early.models.generateContent({ model: 'gemini-1.5-flash', contents: 'What is 2+2? Give a brief answer.' }),
    );
    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.attributes['llm_otel.hook']).toBe('fetch');
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(12);
  });
});
