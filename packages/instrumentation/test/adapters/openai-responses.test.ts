import { describe, expect, it } from 'vitest';
import { openAiResponsesAdapter as adapter } from '../../src/providers/openai-responses';
import { exchange, loadRecording, replay, toLlmRequest, parseRequestWithContent } from '../support/replay';
import { sseBody } from '../support/wire-bodies';

const URL_RESPONSES = 'https://api.openai.com/v1/responses';
const JOKE = 'Why did the OpenTelemetry developer break up with their application?\n\nBecause it just couldn\'t handle the "trace" of their love!';

describe('openai responses adapter on recorded traffic', () => {
  it('reads usage, id, model, tier and text of a non-streamed response', () => {
    const [recorded] = loadRecording('openai-responses.json');
    const { request, response, framing } = replay(adapter, recorded);
    expect(framing).toBe('json');
    expect(request).toMatchObject({
      operation: 'chat',
      model: 'gpt-4o-mini',
      stream: false,
      attributes: { 'openai.api.type': 'responses' },
      inputMessages: [{ role: 'user', parts: [{ type: 'text', content: 'Tell me a joke about OpenTelemetry' }] }],
    });
    expect(response.id).toBe('resp_098a86033e882e31006a1818d103048192889c7541e8827731');
    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(response.serviceTier).toBe('default');
    expect(response.usage).toEqual({ inputTokens: 14, outputTokens: 26, cacheReadInputTokens: 0, reasoningOutputTokens: 0 });
    expect(response.finishReasons).toEqual(['stop']);
    expect(response.outputMessages).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: JOKE }], finish_reason: 'stop' }]);
    expect(response.outputTextForEstimate).toBe(JOKE);
  });

  it('reads input_tokens_details.cached_tokens as cache reads, inside input tokens', () => {
    const [recorded] = loadRecording('openai-responses-cached-tokens.json');
    const { response } = replay(adapter, recorded);
    expect(response.usage).toEqual({ inputTokens: 14, outputTokens: 26, cacheReadInputTokens: 13, reasoningOutputTokens: 0 });
  });
});

describe('openai responses adapter on documented shapes', () => {
  const requestBody = {
    model: 'o4-mini',
    instructions: 'You are a travel assistant.',
    stream: true,
    temperature: 1,
    top_p: 0.8,
    max_output_tokens: 2000,
    service_tier: 'flex',
    conversation: 'conv_689667905b048191b4740501625afd940c7533ace33a2dab',
    text: { format: { type: 'json_schema', name: 'trip', schema: { type: 'object' } } },
    reasoning: { effort: 'medium', summary: 'auto' },
    input: [
      { role: 'developer', content: 'Answer in French.' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Weather in Lyon?' },
          { type: 'input_image', image_url: 'https://example.com/lyon.jpg' },
        ],
      },
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"temp":21}' },
    ],
  };

  const created = {
    id: 'resp_68af4030592c81938ec0a5fbab4a3e9f05438e46b5f69a3b',
    object: 'response',
    created_at: 1756315696,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: 'You are a travel assistant.',
    max_output_tokens: 2000,
    model: 'o4-mini-2025-04-16',
    output: [],
    service_tier: 'auto',
    usage: null,
  };
  const usage = {
    input_tokens: 1820,
    input_tokens_details: { cached_tokens: 1536 },
    output_tokens: 412,
    output_tokens_details: { reasoning_tokens: 320 },
    total_tokens: 2232,
  };
  const streamEvents = [
    ['response.created', { type: 'response.created', sequence_number: 0, response: created }],
    ['response.in_progress', { type: 'response.in_progress', sequence_number: 1, response: created }],
    [
      'response.output_item.added',
      { type: 'response.output_item.added', sequence_number: 2, output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
    ],
    [
      'response.reasoning_summary_part.added',
      {
        type: 'response.reasoning_summary_part.added',
        sequence_number: 3,
        item_id: 'rs_1',
        output_index: 0,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      },
    ],
    [
      'response.reasoning_summary_text.delta',
      {
        type: 'response.reasoning_summary_text.delta',
        sequence_number: 4,
        item_id: 'rs_1',
        output_index: 0,
        summary_index: 0,
        delta: '**Checking the forecast**',
      },
    ],
    [
      'response.reasoning_summary_text.delta',
      { type: 'response.reasoning_summary_text.delta', sequence_number: 5, item_id: 'rs_1', output_index: 0, summary_index: 0, delta: ' for tomorrow.' },
    ],
    [
      'response.output_item.done',
      {
        type: 'response.output_item.done',
        sequence_number: 6,
        output_index: 0,
        item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: '**Checking the forecast** for tomorrow.' }] },
      },
    ],
    [
      'response.output_item.added',
      {
        type: 'response.output_item.added',
        sequence_number: 7,
        output_index: 1,
        item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      },
    ],
    [
      'response.content_part.added',
      {
        type: 'response.content_part.added',
        sequence_number: 8,
        item_id: 'msg_1',
        output_index: 1,
        content_index: 0,
        part: { type: 'output_text', annotations: [], text: '' },
      },
    ],
    [
      'response.output_text.delta',
      {
        type: 'response.output_text.delta',
        sequence_number: 9,
        item_id: 'msg_1',
        output_index: 1,
        content_index: 0,
        delta: 'Il fait 21 °C à Lyon',
        logprobs: [],
      },
    ],
    [
      'response.output_text.delta',
      { type: 'response.output_text.delta', sequence_number: 10, item_id: 'msg_1', output_index: 1, content_index: 0, delta: ' — ensoleillé ☀️.', logprobs: [] },
    ],
    [
      'response.output_text.done',
      {
        type: 'response.output_text.done',
        sequence_number: 11,
        item_id: 'msg_1',
        output_index: 1,
        content_index: 0,
        text: 'Il fait 21 °C à Lyon — ensoleillé ☀️.',
        logprobs: [],
      },
    ],
    [
      'response.output_item.added',
      {
        type: 'response.output_item.added',
        sequence_number: 12,
        output_index: 2,
        item: { id: 'fc_1', type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_2', name: 'get_forecast' },
      },
    ],
    [
      'response.function_call_arguments.delta',
      { type: 'response.function_call_arguments.delta', sequence_number: 13, item_id: 'fc_1', output_index: 2, delta: '{"city":' },
    ],
    [
      'response.function_call_arguments.delta',
      { type: 'response.function_call_arguments.delta', sequence_number: 14, item_id: 'fc_1', output_index: 2, delta: '"Lyon","days":2}' },
    ],
    [
      'response.function_call_arguments.done',
      { type: 'response.function_call_arguments.done', sequence_number: 15, item_id: 'fc_1', output_index: 2, arguments: '{"city":"Lyon","days":2}' },
    ],
    ['response.completed', { type: 'response.completed', sequence_number: 16, response: { ...created, status: 'completed', service_tier: 'flex', usage } }],
  ] as const;

  it('parses request parameters, instructions, input items, tool calls and tool outputs', () => {
    const request = parseRequestWithContent(adapter, toLlmRequest(exchange(URL_RESPONSES, requestBody, '', 'application/json').request));
    expect(request.attributes).toEqual({
      'gen_ai.request.temperature': 1,
      'gen_ai.request.top_p': 0.8,
      'gen_ai.request.max_tokens': 2000,
      'gen_ai.output.type': 'json',
      'gen_ai.conversation.id': 'conv_689667905b048191b4740501625afd940c7533ace33a2dab',
      'gen_ai.request.stream': true,
      'openai.api.type': 'responses',
    });
    expect(request.serviceTier).toBe('flex');
    expect(request.systemInstructions).toEqual([{ type: 'text', content: 'You are a travel assistant.' }]);
    expect(request.inputMessages).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Answer in French.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Weather in Lyon?' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/lyon.jpg' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Lyon' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"temp":21}' }] },
    ]);
    expect(request.inputTextsForEstimate?.().messageCount).toBe(5);
  });

  it('accumulates an SSE stream: usage from response.completed, reasoning summary, text and function call', () => {
    const { response, problems, eventCount } = replay(adapter, exchange(URL_RESPONSES, requestBody, sseBody(streamEvents), 'text/event-stream; charset=utf-8'));
    expect(problems).toEqual([]);
    expect(eventCount).toBe(streamEvents.length);
    expect(response.id).toBe('resp_68af4030592c81938ec0a5fbab4a3e9f05438e46b5f69a3b');
    expect(response.model).toBe('o4-mini-2025-04-16');
    expect(response.serviceTier).toBe('flex');
    expect(response.usage).toEqual({ inputTokens: 1820, outputTokens: 412, cacheReadInputTokens: 1536, reasoningOutputTokens: 320 });
    expect(response.finishReasons).toEqual(['tool_call']);
    expect(response.outputMessages).toEqual([
      {
        role: 'assistant',
        finish_reason: 'tool_call',
        parts: [
          { type: 'reasoning', content: '**Checking the forecast** for tomorrow.' },
          { type: 'text', content: 'Il fait 21 °C à Lyon — ensoleillé ☀️.' },
          { type: 'tool_call', id: 'call_2', name: 'get_forecast', arguments: { city: 'Lyon', days: 2 } },
        ],
      },
    ]);
    expect(response.error).toBeUndefined();
  });

  it('gives the same output for the same response sent whole', () => {
    const whole = {
      ...created,
      status: 'completed',
      service_tier: 'flex',
      usage,
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: '**Checking the forecast** for tomorrow.' }] },
        {
          id: 'msg_1',
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', annotations: [], text: 'Il fait 21 °C à Lyon — ensoleillé ☀️.' }],
        },
        { id: 'fc_1', type: 'function_call', status: 'completed', arguments: '{"city":"Lyon","days":2}', call_id: 'call_2', name: 'get_forecast' },
      ],
    };
    const streamed = replay(adapter, exchange(URL_RESPONSES, requestBody, sseBody(streamEvents), 'text/event-stream')).response;
    const json = replay(adapter, exchange(URL_RESPONSES, { ...requestBody, stream: false }, JSON.stringify(whole), 'application/json')).response;
    expect(json).toEqual(streamed);
  });

  it('reports length for an incomplete response and the error of a failed one', () => {
    const incomplete = sseBody([
      ['response.created', { type: 'response.created', sequence_number: 0, response: created }],
      [
        'response.incomplete',
        {
          type: 'response.incomplete',
          sequence_number: 1,
          response: { ...created, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage },
        },
      ],
    ]);
    expect(replay(adapter, exchange(URL_RESPONSES, requestBody, incomplete, 'text/event-stream')).response.finishReasons).toEqual(['length']);

    const failed = sseBody([
      ['response.created', { type: 'response.created', sequence_number: 0, response: created }],
      [
        'response.failed',
        {
          type: 'response.failed',
          sequence_number: 1,
          response: { ...created, status: 'failed', error: { code: 'server_error', message: 'The model failed to generate a response.' } },
        },
      ],
    ]);
    const failedResponse = replay(adapter, exchange(URL_RESPONSES, requestBody, failed, 'text/event-stream')).response;
    expect(failedResponse.finishReasons).toEqual(['error']);
    expect(failedResponse.error).toEqual({ type: 'server_error', message: 'The model failed to generate a response.' });
  });

  it('reports an error event and a stream cut before the end', () => {
    const body = sseBody([
      ['response.created', { type: 'response.created', sequence_number: 0, response: created }],
      ['error', { type: 'error', code: 'rate_limit_exceeded', message: 'Rate limit reached for o4-mini', param: null, sequence_number: 1 }],
    ]);
    const { response } = replay(adapter, exchange(URL_RESPONSES, requestBody, body, 'text/event-stream'));
    expect(response.error).toEqual({ type: 'rate_limit_exceeded', message: 'Rate limit reached for o4-mini' });
    expect(response.finishReasons).toBeUndefined();
    expect(response.usage).toBeUndefined();
    expect(response.id).toBe(created.id);
  });

  it('turns an insufficient_quota body into error type and message', () => {
    const body = {
      error: {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
    };
    expect(adapter.parseError(body, 429)).toEqual({ type: 'insufficient_quota', message: body.error.message });
  });

  it('recognises its bodies and paths', () => {
    expect(adapter.looksLikeRequest(requestBody)).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'gpt-4o', messages: [] })).toBe(false);
    expect(adapter.matchesPath(new URL('https://my.openai.azure.com/openai/v1/responses'))).toBe(true);
    expect(adapter.matchesPath(new URL('https://api.openai.com/v1/responses/resp_1/cancel'))).toBe(false);
    expect(adapter.matchesPath(new URL('https://api.openai.com/v1/responses/input_tokens'))).toBe(false);
  });
});
