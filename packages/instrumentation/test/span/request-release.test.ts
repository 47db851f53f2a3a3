import { describe, expect, test } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { resolveConfig } from '../../src/config';
import { PriceBook } from '../../src/pricing/price-book';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { EndpointRegistry } from '../../src/providers/registry';
import { LlmCall, type CallEnvironment } from '../../src/span/llm-call';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const url = new URL('https://api.openai.com/v1/chat/completions');
const env: CallEnvironment = {
  tracer: trace.getTracer('test'),
  config: resolveConfig({}),
  prices: new PriceBook(undefined, undefined),
  completions: new Set(),
};

/** Starts a streamed call whose parsed request body only a WeakRef of the test points to. */
function startStream(streamOptions: Record<string, unknown> | undefined): { call: LlmCall; body: WeakRef<object> } {
  const body = {
    model: 'gpt-4o-mini',
    stream: true,
    ...(streamOptions ? { stream_options: streamOptions } : {}),
    messages: [{ role: 'user', content: 'a long conversation '.repeat(10_000) }],
  };
  const match = new EndpointRegistry([]).match('POST', url)!;
  expect(match.adapter).toBe(openAiChatAdapter);
  const call = LlmCall.start(env, match, { url, method: 'POST', body, header: () => undefined }, 'fetch', Date.now(), ROOT_CONTEXT)!;
  return { call, body: new WeakRef(body) };
}

describe('an in-flight call lets go of its request', () => {
  test('once the response has started, the parsed request body is collectable while the stream goes on', async () => {
    const { call, body } = startStream({ include_usage: true });
    call.onResponse(200, 'text/event-stream');
    call.onChunk(new TextEncoder().encode('data: {"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'));
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(body.deref()).toBeUndefined();
    call.onEnd(); // the call is alive (and used) after the collection
  });

  test('a stream that may need a token estimate keeps what the estimate reads', async () => {
    const { call, body } = startStream(undefined);
    call.onResponse(200, 'text/event-stream');
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(body.deref()).toBeDefined();
    call.onCancel();
  });
});
