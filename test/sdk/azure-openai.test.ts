import { beforeAll, describe, expect, test } from 'vitest';
import { loadOpenAI } from '../support/sdk-versions';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';
import { AZURE_ANSWER, azureChatCompletion, azureChatStream } from './wire/azure-openai';

// AzureOpenAI from the openai package (7 on Node 22+, 6 on Node 20), endpoint = the stand-in,
// registered as `azure.ai.openai` (the name *.openai.azure.com gets). Deployment paths
// /openai/deployments/{deployment}/chat/completions?api-version=..., and the v1 path /openai/v1/.
const harness = sdkHarness((url) => [{ baseUrl: url, name: 'azure.ai.openai' }]);
const DEPLOYMENT = 'support-gpt4o';
const API_VERSION = '2024-10-21';
const DEPLOYMENT_PATH = `/openai/deployments/${DEPLOYMENT}/chat/completions`;

beforeAll(() => {
  harness.standIn.script({
    method: 'POST',
    path: new RegExp(`^(?:${DEPLOYMENT_PATH}\\?api-version=${API_VERSION}|/openai/v1/chat/completions)$`),
    respond: (request) => {
      const body = JSON.parse(request.body) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
      const headers = { 'apim-request-id': '4c1f2a9e-8d3b-4b8e-9a57-1f0e2d3c4b5a', 'x-ms-region': 'Sweden Central' };
      if (body.stream)
        return {
          headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8' },
          chunks: azureChatStream(body.stream_options?.include_usage === true),
        };
      return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(azureChatCompletion()) };
    },
  });
});

async function azure() {
  const { AzureOpenAI } = await loadOpenAI();
  return new AzureOpenAI({ endpoint: harness.standIn.url, apiKey: 'test', apiVersion: API_VERSION, deployment: DEPLOYMENT, maxRetries: 0 });
}

const messages = [{ role: 'user' as const, content: 'Where is my order A-1234?' }];
// gpt-4o per 1M tokens: $2.50 input, $10 output.
const COST = (AZURE_ANSWER.promptTokens * 2.5 + AZURE_ANSWER.completionTokens * 10) / 1e6;

describe('Azure OpenAI deployments', () => {
  test('a request without a model (the deployment names it): the span is named and priced after the model of the response', async () => {
    const call = async () =>
      // With `deployment` set, the model field is not needed; Azure ignores it.
      (await azure()).chat.completions.create({ messages, temperature: 0.1, max_tokens: 120 } as unknown as {
        model: string;
        messages: typeof messages;
        stream?: false;
      });
    const { result: completion, otel } = await harness.sameWithAndWithout(call);
    expect(completion).toEqual(azureChatCompletion());
    const sent = harness.standIn.requests.at(-1)!;
    expect(sent.path).toBe(`${DEPLOYMENT_PATH}?api-version=${API_VERSION}`);
    expect(JSON.parse(sent.body)).not.toHaveProperty('model');

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe(`chat ${AZURE_ANSWER.model}`);
    expect(span.attributes['gen_ai.request.model']).toBeUndefined();
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.request.temperature': 0.1,
      'gen_ai.request.max_tokens': 120,
      'gen_ai.response.id': AZURE_ANSWER.id,
      'gen_ai.response.model': AZURE_ANSWER.model,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': AZURE_ANSWER.promptTokens,
      'gen_ai.usage.output_tokens': AZURE_ANSWER.completionTokens,
      'llm_otel.protocol': 'openai.chat_completions',
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(COST, 12);
  });

  test('the deployment name as model: request model as sent, cost from the model of the response', async () => {
    const otel = harness.instrument();
    await (await azure()).chat.completions.create({ model: DEPLOYMENT, messages });
    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe(`chat ${DEPLOYMENT}`);
    expect(span.attributes).toMatchObject({
      'gen_ai.request.model': DEPLOYMENT,
      'gen_ai.response.model': AZURE_ANSWER.model,
      'llm_otel.cost.price_model': 'gpt-4o',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(COST, 12);
  });

  test('a stream: the opening chunk without choices (empty id and model) does not hide the real id and model', async () => {
    const call = async () => {
      const stream = await (await azure()).chat.completions.create({ model: DEPLOYMENT, messages, stream: true, stream_options: { include_usage: true } });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };
    const { result: chunks, otel } = await harness.sameWithAndWithout(call);
    expect(chunks[0]).toMatchObject({ id: '', model: '', choices: [] });

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': AZURE_ANSWER.promptTokens,
      'gen_ai.usage.output_tokens': AZURE_ANSWER.completionTokens,
      'llm_otel.response.event_count': chunks.length + 1,
    });
    expectTimeToFirstChunk(span);
    expect(span.attributes['gen_ai.response.id']).toBe(AZURE_ANSWER.id);
    expect(span.attributes['gen_ai.response.model']).toBe(AZURE_ANSWER.model);
    expect(span.attributes['gen_ai.usage.cost']).toBeCloseTo(COST, 12);
  });

  test('the v1 path (/openai/v1/) with the plain OpenAI client; the app span is the parent', async () => {
    const otel = harness.instrument();
    const { OpenAI } = await loadOpenAI();
    const client = new OpenAI({ apiKey: 'test', baseURL: `${harness.standIn.url}/openai/v1/`, maxRetries: 0 });
    const { parentId } = await inAppSpan(otel, () => client.chat.completions.create({ model: 'gpt-4o', messages }));
    expect(harness.standIn.requests.at(-1)!.path).toBe('/openai/v1/chat/completions');
    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': AZURE_ANSWER.model,
    });
  });
});
