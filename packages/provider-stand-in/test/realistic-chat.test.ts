import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { realisticChatCompletion, realisticChatRoute, realisticChatStream, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';

const LOOKUP_ORDER: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'lookup_order',
    description: 'Look up an order by its id',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' }, include_items: { type: 'boolean' } },
      required: ['order_id'],
    },
  },
};

describe('realistic-chat scenario with the real openai SDK', () => {
  let standIn: ProviderStandIn;
  let client: OpenAI;
  beforeAll(async () => {
    standIn = await startProviderStandIn({ scenario: 'realistic-chat' });
    client = new OpenAI({ baseURL: `${standIn.url}/v1`, apiKey: 'test', maxRetries: 0 });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('answers a plain question with a dated model, ids and full usage details', async () => {
    const request = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Can I change my address?' }] };
    const completion = await client.chat.completions.create(request);

    expect(completion.id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.system_fingerprint).toMatch(/^fp_[0-9a-f]{10}$/);
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.content).toContain('Can I change my address?');
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(5);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.prompt_tokens_details).toEqual({ cached_tokens: 0, audio_tokens: 0 });
    expect(usage.completion_tokens_details).toMatchObject({ reasoning_tokens: 0 });

    // Deterministic: the same request gets the same response.
    expect(await client.chat.completions.create(request)).toEqual(completion);
  });

  it('calls the offered tool with schema-shaped arguments taken from the user message', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Where is my order A-1042?' }],
      tools: [LOOKUP_ORDER],
    });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const [call] = choice.message.tool_calls!;
    expect(call.id).toMatch(/^call_[0-9A-Za-z]{24}$/);
    expect(call.type).toBe('function');
    if (call.type !== 'function') throw new Error('unreachable');
    expect(call.function.name).toBe('lookup_order');
    expect(JSON.parse(call.function.arguments)).toEqual({ order_id: 'A-1042' });
  });

  it('answers from the tool result once the tool has answered', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      tools: [LOOKUP_ORDER],
      messages: [
        { role: 'user', content: 'Where is my order A-1042?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A-1042"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped","carrier":"DHL"}' },
      ],
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.content).toContain('status shipped, carrier DHL');
  });

  it('streams role, content deltas, finish, then a usage chunk with choices [] only with include_usage', async () => {
    const messages = [{ role: 'user' as const, content: 'Tell me about your return policy.' }];
    const withUsage = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '', refusal: null });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const nonStreamed = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(text).toBe(nonStreamed.choices[0].message.content);
    expect(chunks.at(-2)!.choices[0].finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(nonStreamed.usage);
    expect(last.usage!.completion_tokens).toBe(chunks.length - 3); // one token per content delta
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const withoutUsage = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const plain = [];
    for await (const chunk of withoutUsage) plain.push(chunk);
    expect(plain.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(plain.at(-1)!.choices[0].finish_reason).toBe('stop');
  });

  it('streams tool-call deltas the SDK reassembles', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Status of order #55123 please' }],
      tools: [LOOKUP_ORDER],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0].message.tool_calls![0];
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(JSON.parse(call.function.arguments)).toEqual({ order_id: '55123' });
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('reports reasoning tokens for reasoning models, inside completion_tokens', async () => {
    const completion = await client.chat.completions.create({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'Is 97 prime?' }],
    });
    expect(completion.model).toBe('o4-mini-2025-04-16');
    const reasoning = completion.usage!.completion_tokens_details!.reasoning_tokens!;
    expect(reasoning).toBeGreaterThanOrEqual(128);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(reasoning);
  });

  it('answers malformed bodies with an OpenAI error the SDK turns into BadRequestError', async () => {
    const response = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: 'not json' });
    expect(response.status).toBe(400);
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini' } as never)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('realistic-chat helpers', () => {
  it('a scripted answer wins: text, forced tool, cached tokens', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      tools: [LOOKUP_ORDER, { ...LOOKUP_ORDER, function: { ...LOOKUP_ORDER.function, name: 'refund' } }],
    };
    const text = realisticChatCompletion(body, { content: 'Hello!', cachedTokens: 3 }) as {
      choices: { message: { content: string } }[];
      usage: { prompt_tokens_details: { cached_tokens: number } };
      model: string;
    };
    expect(text.choices[0].message.content).toBe('Hello!');
    expect(text.usage.prompt_tokens_details.cached_tokens).toBe(3);
    expect(text.model).toBe('gpt-4o-2024-08-06');

    const refund = realisticChatStream(body, { toolCall: { name: 'refund', arguments: { order_id: 'X1' } } });
    expect(refund[0]).toContain('"name":"refund"');
    expect(refund.at(-1)).toBe('data: [DONE]\n\n');
    const args = refund
      .slice(1, -2)
      .map((event) => JSON.parse(event.slice('data: '.length)).choices[0].delta.tool_calls?.[0].function.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ order_id: 'X1' });

    // A tool the request does not offer is not called; the assistant answers instead.
    const notOffered = realisticChatCompletion({ model: 'gpt-4o', messages: [] }, { toolCall: { name: 'refund' } }) as {
      choices: { finish_reason: string }[];
    };
    expect(notOffered.choices[0].finish_reason).toBe('stop');
  });

  it('a route can script per request, and a header sets the chunk delay', async () => {
    const standIn = await startProviderStandIn();
    try {
      standIn.script(realisticChatRoute({ answer: (request) => ({ content: `model was ${request.model}` }) }));
      const started = Date.now();
      const response = await fetch(`${standIn.url}/chat/completions`, {
        method: 'POST',
        headers: { 'x-stand-in-chunk-delay-ms': '20' },
        body: JSON.stringify({ model: 'm', stream: true, messages: [] }),
      });
      const body = await response.text();
      expect(body).toContain('"content":" was"');
      // role + 3 content pieces + finish + [DONE] = 6 events, 5 pauses of 20 ms
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    } finally {
      await standIn.close();
    }
  });
});
