import { diag, DiagLogLevel } from '@opentelemetry/api';
import * as undici from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startProviderStandIn, type ProviderStandIn, type ScriptedResponse } from '@llm-otel/provider-stand-in';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { longestStallMs } from './support/event-loop-stalls';
import { watchProcessFailures } from './support/process-failures';

// Every adapter's request parser and accumulator fed with bodies of the wrong shape, through both
// hooks: whatever an adapter does with them, the caller gets the provider's exact bytes and status,
// nothing is thrown or rejected, and the call still ends its span.

interface Endpoint {
  protocol: string;
  path: string;
  stream?: { contentType: string; framing: 'sse' | 'ndjson' | 'json-array' };
}

const SSE = { contentType: 'text/event-stream', framing: 'sse' } as const;
const ENDPOINTS: Endpoint[] = [
  { protocol: 'openai.chat_completions', path: '/v1/chat/completions', stream: SSE },
  { protocol: 'openai.completions', path: '/v1/completions', stream: SSE },
  { protocol: 'openai.responses', path: '/v1/responses', stream: SSE },
  { protocol: 'openai.embeddings', path: '/v1/embeddings' },
  { protocol: 'anthropic.messages', path: '/v1/messages', stream: SSE },
  { protocol: 'gcp.gemini.generate_content', path: '/v1beta/models/gemini-2.0-flash:generateContent' },
  { protocol: 'gcp.gemini.generate_content', path: '/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse', stream: SSE },
  {
    protocol: 'gcp.gemini.generate_content',
    path: '/v1beta/models/gemini-2.0-flash:streamGenerateContent',
    stream: { contentType: 'application/json', framing: 'json-array' },
  },
  { protocol: 'gcp.gemini.embed_content', path: '/v1beta/models/text-embedding-004:embedContent' },
  { protocol: 'ollama', path: '/api/chat', stream: { contentType: 'application/x-ndjson', framing: 'ndjson' } },
  { protocol: 'ollama', path: '/api/generate', stream: { contentType: 'application/x-ndjson', framing: 'ndjson' } },
];

const REQUEST_BODIES = [
  '{"model":5,"messages":"x","stream":"yes","prompt":7,"input":{},"contents":5,"system":5,"instructions":[1],"tools":"t","generationConfig":7}',
  JSON.stringify({
    model: 'gpt-4o',
    stream: true,
    stream_options: 5,
    messages: [
      null,
      5,
      's',
      { role: 5, content: { x: 1 } },
      { role: 'user', content: [null, 5, { type: 'image_url', image_url: 5 }, { type: 'text', text: 7 }] },
    ],
    contents: [null, { parts: 5 }, { parts: [null, { inlineData: 5 }, { text: 5 }, { functionCall: 5 }] }],
    input: [null, { role: 'user', content: [{ type: 'input_image', image_url: 5 }] }],
    prompt: [1, null],
    system: [null, { type: 'text', text: 5 }],
    systemInstruction: { parts: 'x' },
    tools: [null, { function: 5 }],
  }),
  '[1,2,3]',
  'not json at all',
  '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Where is my order 1234?"}],"prompt":"hi","input":"hi","contents":[{"parts":[{"text":"hi"}]}]}',
];

const JSON_BODIES = [
  'null',
  '5',
  '"a string"',
  '[null,{},5]',
  JSON.stringify({ id: 5, model: {}, choices: 'x', usage: 5, candidates: {}, content: 5, output: 'x', data: 5, message: 5, embedding: 5, usageMetadata: [] }),
  JSON.stringify({
    choices: [null, 5, { index: 'a', message: 5, finish_reason: 7 }, { index: 1, message: { content: 5, tool_calls: [null, { function: 5 }] } }],
    usage: { prompt_tokens: 'a', completion_tokens: null, prompt_tokens_details: 5, input_tokens: {}, output_tokens_details: 5 },
    candidates: [null, { content: { parts: 5 } }, { content: { parts: [null, { functionCall: 5 }, { text: 5 }] }, finishReason: 5 }],
    content: [null, { type: 'tool_use', input: 5 }, { type: 5 }, { type: 'text', text: 5 }],
    output: [null, { type: 'message', content: 5 }, { type: 'function_call', arguments: 5 }, { type: 'reasoning', summary: 5 }],
    data: [null, { embedding: 'x' }, { embedding: [1, 'a'] }],
    embedding: { values: 5 },
    embeddings: 5,
    message: { content: 5, tool_calls: 5, thinking: 7 },
    prompt_eval_count: 'x',
    done_reason: 5,
    usageMetadata: { promptTokenCount: 'x', thoughtsTokenCount: {} },
  }),
];

const ERROR_RESPONSES: ScriptedResponse[] = [
  { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":5}' },
  { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":{"message":{},"type":5,"code":[]},"type":7}' },
];

const STREAM_PAYLOADS: { event?: string; data: string }[] = [
  { data: 'null' },
  { data: '5' },
  { data: '"s"' },
  { data: '[]' },
  {
    data: JSON.stringify({
      choices: [
        null,
        5,
        { delta: 5, index: 'x' },
        { index: 0, delta: { content: 5, tool_calls: [null, { index: -1, function: 5 }, { index: 0.5, function: { arguments: 5 } }] } },
      ],
      usage: 5,
    }),
  },
  { event: 'message_start', data: '{"type":"message_start","message":5}' },
  { event: 'content_block_start', data: '{"type":"content_block_start","index":"x","content_block":5}' },
  { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":5}' },
  { event: 'message_delta', data: '{"type":"message_delta","usage":"x","delta":5}' },
  { event: 'response.output_item.added', data: '{"type":"response.output_item.added","item":5,"output_index":"x"}' },
  { event: 'response.output_text.delta', data: '{"type":"response.output_text.delta","delta":5,"output_index":{}}' },
  { event: 'response.completed', data: '{"type":"response.completed","response":5}' },
  { data: JSON.stringify({ candidates: [5, { content: 5 }, { content: { parts: [5, { text: 5 }] } }], usageMetadata: 'x' }) },
  { data: JSON.stringify({ message: 5, done: 'yes', eval_count: 'x', prompt_eval_count: {} }) },
  { event: 'error', data: '{"type":"error","error":5}' },
  { data: 'not json' },
  { data: '[DONE]' },
];

function streamBody(framing: 'sse' | 'ndjson' | 'json-array'): string[] {
  const jsonPayloads = STREAM_PAYLOADS.filter((payload) => payload.data !== 'not json' && payload.data !== '[DONE]').map((payload) => payload.data);
  switch (framing) {
    case 'sse':
      return STREAM_PAYLOADS.map((payload) => `${payload.event ? `event: ${payload.event}\n` : ''}data: ${payload.data}\n\n`);
    case 'ndjson':
      return [...jsonPayloads.map((data) => `${data}\n`), 'not json\n'];
    case 'json-array':
      return ['[', ...jsonPayloads.map((data, index) => (index === 0 ? data : `,${data}`)), ']'];
  }
}

interface Case {
  endpoint: Endpoint;
  path: string;
  requestBody: string;
  response: ScriptedResponse;
  expectedBody: string;
  expectedStatus: number;
}

function buildCases(): Case[] {
  const cases: Case[] = [];
  ENDPOINTS.forEach((endpoint, endpointIndex) => {
    const responses: ScriptedResponse[] = [
      ...JSON_BODIES.map((body): ScriptedResponse => ({ headers: { 'content-type': 'application/json' }, body })),
      ...ERROR_RESPONSES,
    ];
    if (endpoint.stream) responses.push({ headers: { 'content-type': endpoint.stream.contentType }, chunks: streamBody(endpoint.stream.framing) });
    REQUEST_BODIES.forEach((requestBody, bodyIndex) => {
      responses.forEach((response, responseIndex) => {
        const path = `/hostile-${endpointIndex}-${bodyIndex}-${responseIndex}${endpoint.path}`;
        const expectedBody = response.chunks ? response.chunks.join('') : String(response.body);
        cases.push({ endpoint, path, requestBody, response, expectedBody, expectedStatus: response.status ?? 200 });
      });
    });
  });
  return cases;
}

let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest;
const cases = buildCases();
const diagErrors: string[] = [];

beforeAll(async () => {
  standIn = await startProviderStandIn({ recordRequests: false });
  for (const item of cases) standIn.script({ path: item.path.split('?')[0], respond: item.response });
  diag.setLogger(
    {
      error: (message: string, ...args: unknown[]) => diagErrors.push(`${message} ${args.map(String).join(' ')}`),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.ERROR,
  );
  otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'openai' }], captureContent: true });
});

afterAll(async () => {
  await otel.close();
  await standIn.close();
  diag.disable();
});

describe('odd shapes from the application and the provider', () => {
  test(`${cases.length} odd request/response pairs through fetch and undici.request: exact bytes and status to the caller, no error thrown, one span each`, async () => {
    const failures = watchProcessFailures();
    try {
      for (const item of cases) {
        const url = `${standIn.url}${item.path}`;
        const viaFetch = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.requestBody });
        expect(viaFetch.status).toBe(item.expectedStatus);
        expect(await viaFetch.text()).toBe(item.expectedBody);
        const viaUndici = await undici.request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: item.requestBody });
        expect(viaUndici.statusCode).toBe(item.expectedStatus);
        expect(await viaUndici.body.text()).toBe(item.expectedBody);
      }
      const spans = await otel.spans(cases.length * 2, 20_000);
      expect(spans).toHaveLength(cases.length * 2);
      // Every adapter was reached: the matrix is not passing through untraced.
      const protocols = new Set(spans.map((span) => span.attributes['llm_otel.protocol']));
      expect([...protocols].sort()).toEqual([...new Set(ENDPOINTS.map((endpoint) => endpoint.protocol))].sort());
      expect(failures.errors).toEqual([]);
    } finally {
      failures.stop();
    }
  }, 120_000);

  test('adapters read odd shapes without throwing (a throw would cost the span its attributes, never the call)', () => {
    const spans = otel.exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(0);
    const adapterExceptions = spans
      .map((span) => String(span.attributes['llm_otel.parse_error'] ?? ''))
      .filter((problem) => problem.startsWith('request parsing failed') || problem.startsWith('response parsing failed'));
    expect([...new Set(adapterExceptions)]).toEqual([]);
    expect(diagErrors).toEqual([]);
  });
});

describe('a provider index far out of range', () => {
  // OpenAI-style `choices[].index` (and tool-call `index`) is used as an array index by the chat,
  // completions and Gemini accumulators. One chunk with index 10,000,000 makes the end-of-call
  // `map`/`filter` walk ten million holes on the event loop; 4,294,967,294 walks for minutes.
  for (const endpoint of ENDPOINTS.filter((candidate) => candidate.stream?.framing === 'sse').slice(0, 2)) {
    test(`${endpoint.protocol}: one stream chunk with choices[0].index = 10,000,000 does not stall the event loop`, async () => {
      const path = `/huge-index${endpoint.path}`;
      const chunk = { id: 'x', model: 'gpt-4o-mini', choices: [{ index: 10_000_000, delta: { content: 'hi' }, text: 'hi', finish_reason: 'stop' }] };
      const chunks = [`data: ${JSON.stringify(chunk)}\n\n`, 'data: [DONE]\n\n'];
      standIn.script({ path, respond: { headers: { 'content-type': 'text/event-stream' }, chunks } });
      const { result, stallMs } = await longestStallMs(async () => {
        const response = await fetch(`${standIn.url}${path}`, { method: 'POST', body: '{"model":"gpt-4o-mini","prompt":"hi","messages":[],"stream":true}' });
        return response.text();
      }, 500);
      expect(result).toBe(chunks.join(''));
      console.log(`${endpoint.protocol}: longest event-loop stall ${stallMs.toFixed(0)} ms`);
      expect(stallMs).toBeLessThan(250);
    }, 60_000);
  }
});
