import { afterAll, beforeAll, expect, test } from 'vitest';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { ReceivedSpan } from '@llm-otel/otlp-receiver';
import { loadAnthropic, loadGoogleGenAI, loadOpenAI } from '../support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from '../support/telemetry';

// The recorded shapes of test/fixtures/recorded, written the way other clients and newer API versions
// send them, through the real SDKs against the stand-in: every number on the span must be the
// provider's own (input includes cached and tool-use prompt tokens, output includes reasoning), and
// the cost the price table gives for exactly those numbers, without float noise.
//   - OpenAI chat stream, include_usage: the usage on a final chunk with `choices: []`, with cached
//     and reasoning breakdowns (gpt-4o, as api.openai.com sends it);
//   - Together: usage on the finishing chunk that still has choices (test/fixtures/recorded/together-chat-stream.json);
//   - Groq: usage in `x_groq.usage` on the last chunk;
//   - Anthropic stream with `ping`, thinking_delta / signature_delta, server tool use with
//     input_json_delta and a web_search_tool_result, cache writes and reads in message_start, and a
//     message_delta repeating the input counts with output_tokens_details.thinking_tokens;
//   - Gemini stream whose usageMetadata (cumulative) has thoughtsTokenCount, cachedContentTokenCount
//     and toolUsePromptTokenCount;
//   - OpenAI Responses stream whose response.completed has cached and reasoning token details.

let standIn: ProviderStandIn;
let otel: TelemetryUnderTest;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  otel = await telemetryToReceiver({ captureContent: true });
});
afterAll(async () => {
  await otel.close();
  await standIn.close();
});

const sse = (events: object[]) => events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
const named = (events: [string, object][]) => events.map(([name, event]) => `event: ${name}\ndata: ${JSON.stringify(event)}\n\n`);
const stream = (chunks: string[]) => ({ headers: { 'content-type': 'text/event-stream' }, chunks });

/** Our span of the call to `model` (the Anthropic SDK adds a span of its own, which de-duplication marks). */
async function spanOf(model: string): Promise<ReceivedSpan> {
  await otel.telemetry.forceFlush();
  const mine = (spans: ReceivedSpan[]) =>
    spans.find((span) => span.scope.name === '@llm-otel/instrumentation' && span.attributes['gen_ai.request.model'] === model);
  return mine(await otel.receiver.waitFor((spans) => mine(spans) !== undefined, 10_000))!;
}

function usageOf(span: ReceivedSpan): Record<string, unknown> {
  return Object.fromEntries(Object.entries(span.attributes).filter(([key]) => key.startsWith('gen_ai.usage.')));
}

test('OpenAI chat stream: usage on a final chunk with empty choices, cached and reasoning breakdowns', async () => {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-2024-08-06', system_fingerprint: 'fp_1' };
  standIn.script({
    path: '/v1/chat/completions',
    times: 1,
    respond: stream([
      ...sse([
        { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], usage: null },
        { ...base, choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }], usage: null },
        { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
        {
          ...base,
          choices: [],
          usage: {
            prompt_tokens: 2000,
            completion_tokens: 300,
            total_tokens: 2300,
            prompt_tokens_details: { cached_tokens: 1536, audio_tokens: 0 },
            completion_tokens_details: { reasoning_tokens: 256, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
          },
        },
      ]),
      'data: [DONE]\n\n',
    ]),
  });
  const { OpenAI } = await loadOpenAI();
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  for await (const _chunk of await openai.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
  })) {
    /* read */
  }
  const span = await spanOf('gpt-4o');
  expect(usageOf(span)).toEqual({
    'gen_ai.usage.input_tokens': 2000,
    'gen_ai.usage.output_tokens': 300,
    'gen_ai.usage.cache_read.input_tokens': 1536,
    'gen_ai.usage.reasoning.output_tokens': 256,
    // gpt-4o: 464 uncached × $2.50 + 1536 cached × $1.25 + 300 × $10 per 1M tokens
    'gen_ai.usage.cost': 0.00608,
  });
  expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
});

test('Together: usage on the finishing chunk that still has choices, and a top-level cached_tokens it adds', async () => {
  const chunk = (delta: object, finish: string | null, usage: object | null) => ({
    id: 't1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    choices: [{ index: 0, text: '', delta, finish_reason: finish, logprobs: null }],
    usage,
  });
  standIn.script({
    path: '/v1/chat/completions',
    times: 1,
    respond: stream([
      ...sse([
        chunk({ role: 'assistant', content: 'Hi' }, null, null),
        chunk({ role: 'assistant', content: '' }, 'eos', { prompt_tokens: 41, completion_tokens: 7, total_tokens: 48, cached_tokens: 0 }),
      ]),
      'data: [DONE]\n\n',
    ]),
  });
  const { OpenAI } = await loadOpenAI();
  const together = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  for await (const _chunk of await together.chat.completions.create({
    model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  })) {
    /* read */
  }
  const span = await spanOf('meta-llama/Llama-3.3-70B-Instruct-Turbo');
  expect(usageOf(span)).toMatchObject({ 'gen_ai.usage.input_tokens': 41, 'gen_ai.usage.output_tokens': 7 });
  expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['eos']);
});

test('Groq: usage in x_groq on the last chunk, without stream_options', async () => {
  const chunk = (delta: object, finish: string | null) => ({
    id: 'chatcmpl-g',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'llama-3.1-8b-instant',
    system_fingerprint: 'fp_g',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const usage = { queue_time: 0.012, prompt_tokens: 40, prompt_time: 0.002, completion_tokens: 5, completion_time: 0.004, total_tokens: 45, total_time: 0.006 };
  standIn.script({
    path: '/v1/chat/completions',
    times: 1,
    respond: stream([
      ...sse([chunk({ role: 'assistant', content: '' }, null), chunk({ content: 'Hi' }, null), { ...chunk({}, 'stop'), x_groq: { id: 'req_01', usage } }]),
      'data: [DONE]\n\n',
    ]),
  });
  const { OpenAI } = await loadOpenAI();
  const groq = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  for await (const _chunk of await groq.chat.completions.create({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
    /* read */
  }
  const span = await spanOf('llama-3.1-8b-instant');
  expect(usageOf(span)).toMatchObject({ 'gen_ai.usage.input_tokens': 40, 'gen_ai.usage.output_tokens': 5 });
  expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
});

test('Anthropic stream: ping, thinking and signature deltas, server tool use, cache writes and thinking tokens', async () => {
  const usageStart = {
    input_tokens: 10,
    cache_creation_input_tokens: 1000,
    cache_read_input_tokens: 2000,
    cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 0 },
    output_tokens: 1,
    service_tier: 'standard',
  };
  standIn.script({
    path: '/v1/messages',
    times: 1,
    respond: stream(
      named([
        [
          'message_start',
          {
            type: 'message_start',
            message: {
              id: 'msg_1',
              type: 'message',
              role: 'assistant',
              model: 'claude-sonnet-4-5-20250929',
              content: [],
              stop_reason: null,
              stop_sequence: null,
              usage: usageStart,
            },
          },
        ],
        ['ping', { type: 'ping' }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        [
          'content_block_start',
          { type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
        ],
        ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"query": "weather' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' paris"}' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 1 }],
        ['ping', { type: 'ping' }],
        [
          'content_block_start',
          {
            type: 'content_block_start',
            index: 2,
            content_block: {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_1',
              content: [{ type: 'web_search_result', title: 'W', url: 'https://w.example', encrypted_content: 'abc', page_age: null }],
            },
          },
        ],
        ['content_block_stop', { type: 'content_block_stop', index: 2 }],
        ['content_block_start', { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'Sunny.' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 3 }],
        [
          'message_delta',
          {
            type: 'message_delta',
            delta: { stop_reason: 'end_turn', stop_sequence: null },
            usage: {
              input_tokens: 10,
              cache_creation_input_tokens: 1000,
              cache_read_input_tokens: 2000,
              output_tokens: 350,
              output_tokens_details: { thinking_tokens: 200 },
              server_tool_use: { web_search_requests: 1 },
            },
          },
        ],
        ['message_stop', { type: 'message_stop' }],
      ]),
    ),
  });
  const { Anthropic } = await loadAnthropic();
  const anthropic = new Anthropic({ apiKey: 'test', baseURL: standIn.url, maxRetries: 0 });
  const message = await anthropic.messages
    .stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1000, messages: [{ role: 'user', content: 'weather?' }] })
    .finalMessage();
  expect(message.usage.output_tokens).toBe(350);
  const span = await spanOf('claude-sonnet-4-5-20250929');
  expect(usageOf(span)).toEqual({
    // input_tokens excludes cache reads and writes: 10 + 1000 + 2000
    'gen_ai.usage.input_tokens': 3010,
    'gen_ai.usage.output_tokens': 350,
    'gen_ai.usage.cache_read.input_tokens': 2000,
    'gen_ai.usage.cache_creation.input_tokens': 1000,
    'gen_ai.usage.reasoning.output_tokens': 200,
    // claude-sonnet-4-5: 10 × $3 + 1000 × $3.75 + 2000 × $0.30 + 350 × $15 per 1M tokens
    'gen_ai.usage.cost': 0.00963,
  });
  const parts = JSON.parse(String(span.attributes['gen_ai.output.messages']))[0].parts.map((part: { type: string }) => part.type);
  expect(parts).toEqual(['reasoning', 'server_tool_call', 'server_tool_call_response', 'text']);
});

test('Gemini stream: cumulative usageMetadata with thoughts, cached content and tool-use prompt tokens', async () => {
  const chunk = (text: string, usage: object, finishReason?: string) => ({
    candidates: [{ content: { parts: [{ text }], role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    usageMetadata: usage,
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r1',
  });
  const counts = {
    promptTokenCount: 5000,
    cachedContentTokenCount: 4000,
    toolUsePromptTokenCount: 100,
    thoughtsTokenCount: 300,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 5000 }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 4000 }],
  };
  standIn.script({
    path: /streamGenerateContent/,
    times: 1,
    respond: stream(
      sse([
        chunk('Hel', { ...counts, totalTokenCount: 5400 }),
        chunk('lo', { ...counts, candidatesTokenCount: 20, totalTokenCount: 5420, candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 20 }] }, 'STOP'),
      ]),
    ),
  });
  const { GoogleGenAI } = await loadGoogleGenAI();
  const google = new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: standIn.url } });
  for await (const _chunk of await google.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) {
    /* read */
  }
  const span = await spanOf('gemini-2.5-flash');
  expect(usageOf(span)).toEqual({
    // promptTokenCount includes the cached tokens; tool-use prompt tokens and thoughts are reported apart
    'gen_ai.usage.input_tokens': 5100,
    'gen_ai.usage.output_tokens': 320,
    'gen_ai.usage.cache_read.input_tokens': 4000,
    'gen_ai.usage.reasoning.output_tokens': 300,
    // gemini-2.5-flash: 1100 uncached × $0.30 + 4000 cached × $0.03 + 320 × $2.50 per 1M tokens
    'gen_ai.usage.cost': 0.00125,
  });
});

test('OpenAI Responses stream: response.completed with cached and reasoning token details', async () => {
  const response = { id: 'resp_1', object: 'response', created_at: 1, status: 'in_progress', model: 'o4-mini-2025-04-16', output: [], usage: null };
  const completed = {
    ...response,
    status: 'completed',
    service_tier: 'default',
    output: [
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
    ],
    usage: {
      input_tokens: 3000,
      input_tokens_details: { cached_tokens: 2048 },
      output_tokens: 700,
      output_tokens_details: { reasoning_tokens: 640 },
      total_tokens: 3700,
    },
  };
  standIn.script({
    path: '/v1/responses',
    times: 1,
    respond: stream(
      named([
        ['response.created', { type: 'response.created', sequence_number: 0, response }],
        [
          'response.output_text.delta',
          { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Hi' },
        ],
        ['response.completed', { type: 'response.completed', sequence_number: 2, response: completed }],
      ]),
    ),
  });
  const { OpenAI } = await loadOpenAI();
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  for await (const _event of await openai.responses.create({ model: 'o4-mini', input: 'hi', stream: true })) {
    /* read */
  }
  const span = await spanOf('o4-mini');
  expect(usageOf(span)).toEqual({
    'gen_ai.usage.input_tokens': 3000,
    'gen_ai.usage.output_tokens': 700,
    'gen_ai.usage.cache_read.input_tokens': 2048,
    'gen_ai.usage.reasoning.output_tokens': 640,
    // o4-mini: 952 uncached × $1.10 + 2048 cached × $0.275 + 700 × $4.40 per 1M tokens
    'gen_ai.usage.cost': 0.0046904,
  });
  expect(span.attributes['openai.response.service_tier']).toBe('default');
});
