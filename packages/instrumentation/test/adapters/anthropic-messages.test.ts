import { describe, expect, it } from 'vitest';
import { anthropicMessagesAdapter as adapter } from '../../src/providers/anthropic-messages';
import { exchange, loadRecording, replay, toLlmRequest, parseRequestWithContent } from '../support/replay';
import { sseBody } from '../support/wire-bodies';

const URL_MESSAGES = 'https://api.anthropic.com/v1/messages';

describe('anthropic messages adapter on recorded traffic', () => {
  it('reads a non-streamed message: usage incl. zero cache counts, id, model, stop reason, tier, text', () => {
    const [recorded] = loadRecording('anthropic-messages.json');
    const { request, response, framing } = replay(adapter, recorded);
    expect(framing).toBe('json');
    expect(request).toMatchObject({
      operation: 'chat',
      model: 'claude-3-opus-20240229',
      stream: false,
      attributes: { 'gen_ai.request.max_tokens': 1024 },
      inputMessages: [{ role: 'user', parts: [{ type: 'text', content: 'Tell me a joke about OpenTelemetry' }] }],
    });
    expect(request.systemInstructions).toBeUndefined();
    expect(response.id).toBe('msg_01ABEG1nJ4BqCbQR4BUANnCB');
    expect(response.model).toBe('claude-3-opus-20240229');
    expect(response.finishReasons).toEqual(['end_turn']);
    expect(response.serviceTier).toBe('standard');
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 137, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(response.outputMessages).toHaveLength(1);
    expect(response.outputMessages?.[0].finish_reason).toBe('end_turn');
    const [part, ...rest] = response.outputMessages?.[0].parts ?? [];
    expect(rest).toEqual([]);
    expect(part).toMatchObject({ type: 'text', content: expect.stringMatching(/^Sure! Here's a joke about OpenTelemetry:\n\nWhy did the developer/) });
    expect(response.error).toBeUndefined();
  });

  it('takes the cumulative output_tokens of message_delta instead of adding it to message_start', () => {
    const [recorded] = loadRecording('anthropic-messages-stream.json');
    const { request, response, framing, problems } = replay(adapter, recorded);
    expect(framing).toBe('sse');
    expect(problems).toEqual([]);
    expect(request.stream).toBe(true);
    expect(request.attributes['gen_ai.request.stream']).toBe(true);
    expect(response.id).toBe('msg_0178nRhNdfNKxFcZRFqApVgL');
    expect(response.model).toBe('claude-3-opus-20240229');
    // message_start says output_tokens 1, message_delta 158: 158, not 159.
    expect(response.usage).toEqual({ inputTokens: 17, outputTokens: 158, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(response.finishReasons).toEqual(['end_turn']);
    const text =
      "Sure, here's a joke about OpenTelemetry:\n\nWhy did the developer choose OpenTelemetry for their distributed system?\n\n" +
      'Because they wanted to trace their way to the root of all evil! 😄\n\nExplanation: OpenTelemetry is an open-source observability ' +
      'framework that provides a set of APIs, libraries, and tools to instrument, generate, collect, and export telemetry data (metrics, ' +
      'logs, and traces) for distributed systems. It helps developers trace and monitor the behavior and performance of their applications ' +
      'across multiple services and components. The joke plays on the word "trace" as a reference to both distributed tracing in ' +
      'OpenTelemetry and the idiom "trace something to its source or origin."';
    // The emoji is 4 UTF-8 bytes: the 1-byte chunking of replay() cut it three times.
    expect(response.outputMessages).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: text }], finish_reason: 'end_turn' }]);
    expect(response.outputTextForEstimate).toBe(text);
  });

  it('turns thinking blocks into reasoning parts (?beta=true)', () => {
    const [recorded] = loadRecording('anthropic-messages-thinking.json');
    expect(adapter.matchesPath(new URL(recorded.request.url))).toBe(true);
    const { response } = replay(adapter, recorded);
    expect(response.id).toBe('msg_018V3xGyrq6nc25GVuWiaKHx');
    expect(response.model).toBe('claude-opus-4-1-20250805');
    expect(response.usage).toEqual({ inputTokens: 49, outputTokens: 186, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(response.outputMessages?.[0].parts).toEqual([
      {
        type: 'reasoning',
        content:
          "This is a very simple arithmetic question. The user is asking for 2+2, which equals 4. They've asked me to think through it step by step, so I should show the basic addition process even though it's elementary.",
      },
      { type: 'text', content: expect.stringMatching(/^I'll work through this simple addition step by step\.[\s\S]*The answer is \*\*4\*\*\.$/) },
    ]);
  });
});

describe('anthropic messages adapter on documented stream shapes', () => {
  const requestBody = {
    model: 'claude-sonnet-4-5',
    max_tokens: 4096,
    temperature: 0.2,
    top_p: 0.9,
    top_k: 40,
    stop_sequences: ['END'],
    stream: true,
    service_tier: 'auto',
    system: [{ type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral' } }],
    thinking: { type: 'enabled', budget_tokens: 2048 },
    tools: [{ name: 'get_weather', description: 'Weather by city', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [{ type: 'text', text: '18°C, cloudy' }] }] },
    ],
  };

  const stream = sseBody([
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 12, cache_creation_input_tokens: 1500, cache_read_input_tokens: 3000, output_tokens: 1, service_tier: 'standard' },
        },
      },
    ],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }],
    ['ping', { type: 'ping' }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The user already has the weather; ' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'check tomorrow too.' } }],
    [
      'content_block_delta',
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
    ],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'It is 18°C in Paris. ' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 1 }],
    ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_01B', name: 'get_weather', input: {} } }],
    ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"location": "Par' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'is", "day": "tomorrow"}' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 2 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 64 } }],
    // Server tools can send message_delta more than once; each carries running totals.
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 12, cache_creation_input_tokens: 1500, cache_read_input_tokens: 3000, output_tokens: 89 },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ]);

  it('parses every gen_ai.request.* parameter, system blocks, tool calls and tool results of the request', () => {
    const request = parseRequestWithContent(adapter, toLlmRequest(exchange(URL_MESSAGES, requestBody, '', 'application/json').request));
    expect(request.attributes).toEqual({
      'gen_ai.request.max_tokens': 4096,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.stream': true,
    });
    expect(request.serviceTier).toBe('auto');
    expect(request.systemInstructions).toEqual([{ type: 'text', content: 'You are a weather bot.' }]);
    expect(request.inputMessages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Weather in Paris?' },
          { type: 'omitted_blob', modality: 'image', mime_type: 'image/png' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'toolu_01A', name: 'get_weather', arguments: { location: 'Paris' } }] },
      { role: 'user', parts: [{ type: 'tool_call_response', id: 'toolu_01A', response: '18°C, cloudy' }] },
    ]);
    expect(request.inputTextsForEstimate?.()).toEqual({
      texts: [
        'You are a weather bot.',
        'Weather in Paris?',
        'get_weather{"location":"Paris"}',
        '18°C, cloudy',
        'get_weather:Weather by city',
        'location:string:',
      ],
      messageCount: 4,
      // The offered tool, framed as OpenAI counts function definitions (7 + 3 + 3 + 12).
      fixedTokens: 25,
    });
    expect(request.toolDefinitions).toEqual([
      { type: 'function', name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { location: { type: 'string' } } } },
    ]);
    // The string form of `system` too.
    const plain = parseRequestWithContent(
      adapter,
      toLlmRequest(exchange(URL_MESSAGES, { ...requestBody, system: 'Be brief.' }, '', 'application/json').request),
    );
    expect(plain.systemInstructions).toEqual([{ type: 'text', content: 'Be brief.' }]);
  });

  it('adds cache reads and writes into input tokens and assembles thinking, text and streamed tool arguments', () => {
    const { response, problems } = replay(adapter, exchange(URL_MESSAGES, requestBody, stream, 'text/event-stream; charset=utf-8'));
    expect(problems).toEqual([]);
    expect(response.id).toBe('msg_01XFDUDYJgAACzvnptvVoYEL');
    expect(response.model).toBe('claude-sonnet-4-5-20250929');
    expect(response.usage).toEqual({ inputTokens: 4512, outputTokens: 89, cacheReadInputTokens: 3000, cacheCreationInputTokens: 1500 });
    expect(response.finishReasons).toEqual(['tool_use']);
    expect(response.outputMessages).toEqual([
      {
        role: 'assistant',
        finish_reason: 'tool_use',
        parts: [
          { type: 'reasoning', content: 'The user already has the weather; check tomorrow too.' },
          { type: 'text', content: 'It is 18°C in Paris. ' },
          { type: 'tool_call', id: 'toolu_01B', name: 'get_weather', arguments: { location: 'Paris', day: 'tomorrow' } },
        ],
      },
    ]);
    expect(response.outputTextForEstimate).toBe(
      'The user already has the weather; check tomorrow too.It is 18°C in Paris. get_weather{"location": "Paris", "day": "tomorrow"}',
    );
  });

  it('keeps no text when neither content capture nor estimation asks for it', () => {
    const { response } = replay(adapter, exchange(URL_MESSAGES, requestBody, stream, 'text/event-stream'), { captureContent: false, keepOutputText: false });
    expect(response.outputMessages).toBeUndefined();
    expect(response.outputTextForEstimate).toBeUndefined();
    expect(response.usage?.outputTokens).toBe(89);
  });

  it('bounds kept text by the budget', () => {
    const { response } = replay(adapter, exchange(URL_MESSAGES, requestBody, stream, 'text/event-stream'), { maxTextLength: 20 });
    // Tool names are not text the model streams, so they stay; their arguments are cut.
    expect(response.outputTextForEstimate).toBe('The user already hasget_weather');
  });

  it('reports an error event sent mid-stream', () => {
    const body = sseBody([
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'msg_01E',
            type: 'message',
            role: 'assistant',
            model: 'claude-opus-4-1-20250805',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 25, output_tokens: 1 },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }],
      ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
    ]);
    const { response } = replay(adapter, exchange(URL_MESSAGES, { ...requestBody, stream: true }, body, 'text/event-stream'));
    expect(response.error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    expect(response.id).toBe('msg_01E');
    expect(response.usage).toEqual({ inputTokens: 25, outputTokens: 1, cacheReadInputTokens: undefined, cacheCreationInputTokens: undefined });
    expect(response.finishReasons).toBeUndefined();
  });

  it('turns error bodies into a type and a message', () => {
    expect(
      adapter.parseError({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' }, 529),
    ).toEqual({
      type: 'overloaded_error',
      message: 'Overloaded',
    });
    expect(
      adapter.parseError(
        { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } },
        429,
      ),
    ).toEqual({
      type: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
    });
    expect(adapter.parseError('upstream connect error', 502)).toEqual({ message: 'upstream connect error' });
  });

  it('recognises its bodies and paths, and no others', () => {
    expect(adapter.looksLikeRequest(requestBody)).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'gpt-4o', messages: [] })).toBe(false);
    expect(adapter.matchesPath(new URL('https://api.anthropic.com/v1/messages?beta=true'))).toBe(true);
    expect(adapter.matchesPath(new URL('https://api.anthropic.com/v1/messages/count_tokens'))).toBe(false);
    expect(adapter.matchesPath(new URL('https://api.anthropic.com/v1/messages/batches'))).toBe(false);
  });
});
