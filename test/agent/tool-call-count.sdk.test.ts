import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { realisticChatRoute, sseEvents, startProviderStandIn, type ProviderStandIn, type RecordedRequest } from '@llm-otel/provider-stand-in';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sseBody } from '../../packages/instrumentation/test/support/wire-bodies';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { loadAnthropic, loadGoogleGenAI, loadOpenAI } from '../support/sdk-versions';
import { CACHED_TOOL_USE, cachedToolUseStream } from '../sdk/wire/anthropic-messages';
import { responsesRoute } from '../sdk/wire/openai-responses';

// Issue 12, item 2, through the real SDKs against the stand-in: every adapter's LLM span counts the
// tool calls the model asked for, plain and streamed, with and without content capture, and under
// capture its output messages hold the ids the SDK handed the application.

const GEMINI_IDS = ['fc-rome', 'fc-oslo'];
const streamed = (request: RecordedRequest) => request.path.includes('stream') || (JSON.parse(request.body || '{}') as { stream?: boolean }).stream === true;

let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest | undefined;

beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat' });
  standIn.script(realisticChatRoute());
  standIn.script(
    responsesRoute('/v1/responses', {
      id: 'resp_tools',
      object: 'response',
      model: 'gpt-4.1-mini',
      status: 'completed',
      output: [
        { type: 'function_call', id: 'fc_1', call_id: 'call_lyon', name: 'get_weather', arguments: '{"city":"Lyon"}', status: 'completed' },
        { type: 'function_call', id: 'fc_2', call_id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
      ],
      usage: { input_tokens: 30, output_tokens: 20, total_tokens: 50 },
    }),
  );
  const message = {
    id: CACHED_TOOL_USE.id,
    type: 'message',
    role: 'assistant',
    model: CACHED_TOOL_USE.model,
    content: [
      { type: 'text', text: 'Looking it up.' },
      { type: 'tool_use', id: CACHED_TOOL_USE.toolUseId, name: 'get_order_status', input: { order_id: 'A-1234' } },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 21, output_tokens: 58 },
  };
  standIn.script({
    method: 'POST',
    path: '/v1/messages',
    respond: (request) =>
      streamed(request)
        ? { headers: { 'content-type': 'text/event-stream' }, chunks: cachedToolUseStream() }
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) },
  });
  const call = (id: string, city: string) => ({ functionCall: { id, name: 'get_weather', args: { city } } });
  const element = (parts: unknown[], finishReason?: string) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 9, totalTokenCount: 29 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'gem-tools',
  });
  standIn.script({
    method: 'POST',
    path: /:(stream)?[gG]enerateContent/,
    respond: (request) =>
      streamed(request)
        ? {
            headers: { 'content-type': 'text/event-stream' },
            chunks: sseEvents(
              sseBody([
                [undefined, element([call(GEMINI_IDS[0], 'Rome')])],
                [undefined, element([call(GEMINI_IDS[1], 'Oslo')], 'STOP')],
              ]),
            ),
          }
        : {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(element([call(GEMINI_IDS[0], 'Rome'), call(GEMINI_IDS[1], 'Oslo')], 'STOP')),
          },
  });
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

function outputCallIds(span: ReadableSpan): string[] {
  const text = span.attributes['gen_ai.output.messages'];
  if (typeof text !== 'string') return [];
  return (JSON.parse(text) as { parts: { type: string; id?: string }[] }[]).flatMap((message) =>
    message.parts.filter((part) => part.type === 'tool_call').map((part) => String(part.id)),
  );
}

const tools = [{ type: 'function' as const, function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } }];

/** Each call returns the tool-call ids the SDK gave the application. */
const calls: Record<string, (stream: boolean) => Promise<string[]>> = {
  'openai chat': async (stream) => {
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Where is A-1042?' }];
    if (!stream)
      return ((await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools })).choices[0].message.tool_calls ?? []).map((call) => call.id);
    const ids: string[] = [];
    // With include_usage no text is kept for an estimate: without capture the span skips text events unparsed.
    for await (const chunk of await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    })) {
      for (const call of chunk.choices[0]?.delta?.tool_calls ?? []) if (call.id) ids.push(call.id);
    }
    return ids;
  },
  'openai responses': async (stream) => {
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    const request = {
      model: 'gpt-4.1-mini',
      input: 'Weather in Lyon and Paris?',
      tools: [{ type: 'function' as const, name: 'get_weather', parameters: {}, strict: false }],
    };
    if (!stream) return (await openai.responses.create(request)).output.flatMap((item) => (item.type === 'function_call' ? [item.call_id] : []));
    const ids: string[] = [];
    for await (const event of await openai.responses.create({ ...request, stream: true })) {
      if (event.type === 'response.output_item.added' && event.item.type === 'function_call') ids.push(event.item.call_id);
    }
    return ids;
  },
  anthropic: async (stream) => {
    const { Anthropic } = await loadAnthropic();
    const anthropic = new Anthropic({ apiKey: 'test', baseURL: standIn.url, maxRetries: 0 });
    const request = {
      model: CACHED_TOOL_USE.model,
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'Status of A-1234?' }],
      tools: [{ name: 'get_order_status', input_schema: { type: 'object' as const } }],
    };
    if (!stream) return (await anthropic.messages.create(request)).content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
    const ids: string[] = [];
    for await (const event of await anthropic.messages.create({ ...request, stream: true })) {
      if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') ids.push(event.content_block.id);
    }
    return ids;
  },
  gemini: async (stream) => {
    const { GoogleGenAI } = await loadGoogleGenAI();
    const gemini = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: standIn.url } });
    const request = { model: 'gemini-2.5-flash', contents: 'Weather in Rome and Oslo?' };
    if (!stream) return ((await gemini.models.generateContent(request)).functionCalls ?? []).map((call) => String(call.id));
    const ids: string[] = [];
    for await (const chunk of await gemini.models.generateContentStream(request)) for (const call of chunk.functionCalls ?? []) ids.push(String(call.id));
    return ids;
  },
};

describe.each(Object.keys(calls))('%s', (sdk) => {
  test.each([
    [false, true],
    [false, false],
    [true, true],
    [true, false],
  ])('stream %s, content capture %s: the count, and the ids the SDK returned in the output messages', async (stream, captureContent) => {
    otel = instrumentInMemory({ captureContent, providers: [{ baseUrl: standIn.url, name: 'stand-in' }] });
    otel.instrumentation.enable();
    const ids = await calls[sdk](stream);
    expect(ids.length).toBeGreaterThan(0);
    const spans = await otel.spans(1);
    const llm = spans.filter((span) => span.attributes['llm_otel.protocol'] !== undefined);
    expect(llm).toHaveLength(1);
    expect(llm[0].attributes['llm_otel.response.tool_call.count']).toBe(ids.length);
    expect(outputCallIds(llm[0])).toEqual(captureContent ? ids : []);
  });
});
