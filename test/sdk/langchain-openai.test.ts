import { beforeAll, describe, expect, test } from 'vitest';
import { ChatOpenAI } from '@langchain/openai';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { sdkHarness } from './support/harness';
import { exactlySpans, expectTimeToFirstChunk, inAppSpan, onlyLlmSpan } from './support/spans';

// LangChain's ChatOpenAI (@langchain/openai 0.6, which bundles its own openai 5 client) with
// configuration.baseURL pointed at the stand-in's realistic chat completions; one version on every
// Node leg.
const harness = sdkHarness((url) => [{ baseUrl: url, name: 'openai' }]);

beforeAll(() => {
  harness.standIn.script(realisticChatRoute());
});

function chatModel(): ChatOpenAI {
  return new ChatOpenAI({
    model: 'gpt-4o-mini',
    apiKey: 'test',
    temperature: 0.2,
    topP: 0.9,
    maxTokens: 200,
    maxRetries: 0,
    configuration: { baseURL: `${harness.standIn.url}/v1` },
  });
}

const question = 'Where is my order A-1234?';

/** What LangChain hands the application, without per-run fields. */
function seen(message: BaseMessage | AIMessageChunk) {
  const ai = message as AIMessageChunk;
  return { content: ai.content, usage: ai.usage_metadata, id: ai.id, finish: ai.response_metadata?.finish_reason, model: ai.response_metadata?.model_name };
}

describe('ChatOpenAI', () => {
  test('invoke: one span, parameters, response id and model, usage and cost as the message reports them', async () => {
    const { result: message, otel } = await harness.sameWithAndWithout(async () => seen(await chatModel().invoke(question)));
    expect(message.usage?.input_tokens).toBeGreaterThan(0);

    const span = onlyLlmSpan(await exactlySpans(otel, 1));
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.response.id': message.id,
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': message.usage?.input_tokens,
      'gen_ai.usage.output_tokens': message.usage?.output_tokens,
      'llm_otel.hook': 'fetch',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
  });

  test('stream: LangChain asks for include_usage, so usage comes from the stream; time to first chunk; the app span is the parent', async () => {
    const collect = async () => {
      let merged: AIMessageChunk | undefined;
      let chunks = 0;
      for await (const chunk of await chatModel().stream(question)) {
        merged = merged ? merged.concat(chunk) : chunk;
        chunks++;
      }
      return { ...seen(merged!), chunks };
    };
    const uninstrumented = await collect();
    const otel = harness.instrument();
    const { result, parentId } = await inAppSpan(otel, () => collect());
    expect(result).toEqual(uninstrumented);
    expect(result.chunks).toBeGreaterThan(2);
    expect(result.usage?.output_tokens).toBeGreaterThan(0);
    const sent = JSON.parse(harness.standIn.requests.at(-1)!.body) as { stream_options?: { include_usage?: boolean } };
    expect(sent.stream_options?.include_usage).toBe(true);

    const span = onlyLlmSpan(await exactlySpans(otel, 2));
    expect(span.parentSpanContext?.spanId).toBe(parentId);
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': result.usage?.input_tokens,
      'gen_ai.usage.output_tokens': result.usage?.output_tokens,
    });
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
    expectTimeToFirstChunk(span);
  });
});
