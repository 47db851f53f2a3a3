import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../../src/providers/adapter';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic-messages';
import { geminiAdapter } from '../../src/providers/gemini';
import { ollamaAdapter as ollamaChatAdapter } from '../../src/providers/ollama';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { openAiResponsesAdapter } from '../../src/providers/openai-responses';
import { exchange, loadRecording, replay, type RecordedExchange } from '../support/replay';
import { jsonArrayBody, ndjsonBody, sseBody } from '../support/wire-bodies';

// Issue 12, item 2: the LLM span says how many tool calls the model asked for, with or without
// content capture, and under capture its output messages carry each call's id (the id a tool span's
// gen_ai.tool.call.id repeats). Without capture, the span skips the events that carry no summary
// unparsed (llm-call.ts): the replays below do the same (`skipSummarylessEvents`), so an event that
// opens a tool call must not be skipped.

const WITHOUT_CONTENT = { captureContent: false, keepOutputText: false, skipSummarylessEvents: true } as const;

function toolCallIds(adapter: ProviderAdapter, recorded: RecordedExchange): (string | undefined)[] {
  const { response } = replay(adapter, recorded);
  return (response.outputMessages ?? []).flatMap((message) =>
    message.parts.filter((part) => part.type === 'tool_call').map((part) => (part as { id?: string }).id),
  );
}

function countWithAndWithoutContent(adapter: ProviderAdapter, recorded: RecordedExchange): [number | undefined, number | undefined] {
  return [replay(adapter, recorded).response.toolCallCount, replay(adapter, recorded, WITHOUT_CONTENT).response.toolCallCount];
}

describe('OpenAI chat completions (recorded traffic)', () => {
  it('a non-streamed tool call: counted, its id in the output messages', () => {
    const [recorded] = loadRecording('openai-chat-tool-calls.json');
    expect(countWithAndWithoutContent(openAiChatAdapter, recorded)).toEqual([1, 1]);
    expect(toolCallIds(openAiChatAdapter, recorded)).toEqual(['call_m0dpaUwYpBdHG63EvxJH3FZU']);
  });

  it('two streamed tool calls, at every chunk size, with and without content capture', () => {
    const [recorded] = loadRecording('openai-chat-stream-tool-calls.json');
    expect(countWithAndWithoutContent(openAiChatAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(openAiChatAdapter, recorded)).toEqual(['call_SHtIMpPE5ainCyw3LLf32VcZ', 'call_HvockKv2nSWQzdTmCv0p2IZD']);
  });

  it('a streamed tool call followed by its answer (include_usage): one, then none', () => {
    const [toolCall, answer] = loadRecording('openai-chat-stream-include-usage.json');
    expect(countWithAndWithoutContent(openAiChatAdapter, toolCall)).toEqual([1, 1]);
    expect(countWithAndWithoutContent(openAiChatAdapter, answer)).toEqual([undefined, undefined]);
  });

  it('an answer without tool calls records no count', () => {
    const [recorded] = loadRecording('openai-chat.json');
    expect(countWithAndWithoutContent(openAiChatAdapter, recorded)).toEqual([undefined, undefined]);
  });

  it('a text delta that quotes "name": (escaped in JSON) opens no tool call', () => {
    const chunk = (delta: unknown, finish: string | null = null) =>
      [undefined, { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] }] as const;
    const body = sseBody([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Use {"name": "x"} as the payload.' }),
      chunk({}, 'stop'),
      [undefined, '[DONE]'],
    ]);
    const recorded = exchange('https://api.openai.com/v1/chat/completions', { model: 'gpt-4o-mini', messages: [], stream: true }, body, 'text/event-stream');
    expect(countWithAndWithoutContent(openAiChatAdapter, recorded)).toEqual([undefined, undefined]);
  });
});

// No recording of these has tool calls: the bodies below follow each provider's documented wire
// format (the same shapes the adapters' own tests use), replayed at many chunk sizes all the same.

describe('OpenAI Responses', () => {
  const url = 'https://api.openai.com/v1/responses';
  const request = { model: 'gpt-4.1-mini', input: 'Weather in Lyon and Paris?', tools: [{ type: 'function', name: 'get_weather', parameters: {} }] };
  const item = (index: number, callId: string, city: string) => ({
    type: 'function_call',
    id: `fc_${index}`,
    call_id: callId,
    name: 'get_weather',
    arguments: JSON.stringify({ city }),
    status: 'completed',
  });
  const whole = {
    id: 'resp_1',
    object: 'response',
    model: 'gpt-4.1-mini',
    status: 'completed',
    output: [item(0, 'call_lyon', 'Lyon'), item(1, 'call_paris', 'Paris')],
    usage: { input_tokens: 40, output_tokens: 30 },
  };

  it('function_call items of a response body: counted, call_id in the output messages', () => {
    const recorded = exchange(url, request, JSON.stringify(whole), 'application/json');
    expect(countWithAndWithoutContent(openAiResponsesAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(openAiResponsesAdapter, recorded)).toEqual(['call_lyon', 'call_paris']);
  });

  it('streamed: each output_item.added opens one call; response.completed repeating them adds none', () => {
    const events = [
      ['response.created', { type: 'response.created', response: { ...whole, status: 'in_progress', output: [] } }],
      [
        'response.output_item.added',
        { type: 'response.output_item.added', output_index: 0, item: { ...item(0, 'call_lyon', 'Lyon'), arguments: '', status: 'in_progress' } },
      ],
      ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"city":"Lyon"}' }],
      ['response.output_item.done', { type: 'response.output_item.done', output_index: 0, item: item(0, 'call_lyon', 'Lyon') }],
      [
        'response.output_item.added',
        { type: 'response.output_item.added', output_index: 1, item: { ...item(1, 'call_paris', 'Paris'), arguments: '', status: 'in_progress' } },
      ],
      ['response.function_call_arguments.delta', { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"city":"Paris"}' }],
      ['response.completed', { type: 'response.completed', response: whole }],
    ] as const;
    const recorded = exchange(url, { ...request, stream: true }, sseBody(events), 'text/event-stream');
    expect(countWithAndWithoutContent(openAiResponsesAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(openAiResponsesAdapter, recorded)).toEqual(['call_lyon', 'call_paris']);
  });
});

describe('Anthropic messages', () => {
  const url = 'https://api.anthropic.com/v1/messages';
  const request = {
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
    tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
  };
  const toolUse = (id: string, city: string) => ({ type: 'tool_use', id, name: 'get_weather', input: { city } });

  it('tool_use blocks of a message body: counted, tool_use.id in the output messages', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'Checking both.' }, toolUse('toolu_paris', 'Paris'), toolUse('toolu_rome', 'Rome')],
      stop_reason: 'tool_use',
      usage: { input_tokens: 50, output_tokens: 40 },
    };
    const recorded = exchange(url, request, JSON.stringify(body), 'application/json');
    expect(countWithAndWithoutContent(anthropicMessagesAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(anthropicMessagesAdapter, recorded)).toEqual(['toolu_paris', 'toolu_rome']);
  });

  it('streamed: each content_block_start of a tool_use counts, even when content events are skipped', () => {
    const events = [
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'msg_2',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-5',
            content: [],
            stop_reason: null,
            usage: { input_tokens: 50, output_tokens: 1 },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'I will call "tool_use" twice.' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['content_block_start', { type: 'content_block_start', index: 1, content_block: { ...toolUse('toolu_paris', ''), input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city": "Paris"}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['content_block_start', { type: 'content_block_start', index: 2, content_block: { ...toolUse('toolu_rome', ''), input: {} } }],
      ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city": "Rome"}' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 2 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 40 } }],
      ['message_stop', { type: 'message_stop' }],
    ] as const;
    const recorded = exchange(url, { ...request, stream: true }, sseBody(events), 'text/event-stream');
    expect(countWithAndWithoutContent(anthropicMessagesAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(anthropicMessagesAdapter, recorded)).toEqual(['toolu_paris', 'toolu_rome']);
  });

  it('a text block quoting "tool_use" opens no call', () => {
    const [recorded] = loadRecording('anthropic-messages-stream.json');
    expect(countWithAndWithoutContent(anthropicMessagesAdapter, recorded)).toEqual([undefined, undefined]);
  });
});

describe('Gemini generateContent', () => {
  const base = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash';
  const request = {
    contents: [{ role: 'user', parts: [{ text: 'Weather in Rome and Oslo?' }] }],
    tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
  };
  const call = (city: string, id?: string) => ({ functionCall: id ? { id, name: 'get_weather', args: { city } } : { name: 'get_weather', args: { city } } });
  const element = (parts: unknown[], finishReason?: string) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
    usageMetadata: { promptTokenCount: 30, candidatesTokenCount: 12, totalTokenCount: 42 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r-1',
  });

  it('functionCall parts of a body: counted; the id when Gemini sends one', () => {
    const recorded = exchange(`${base}:generateContent`, request, JSON.stringify(element([call('Rome', 'fc-rome'), call('Oslo')], 'STOP')), 'application/json');
    expect(countWithAndWithoutContent(geminiAdapter, recorded)).toEqual([2, 2]);
    expect(toolCallIds(geminiAdapter, recorded)).toEqual(['fc-rome', undefined]);
  });

  it('streamed as SSE and as a JSON array: one call per functionCall part', () => {
    const elements = [element([{ text: 'Checking.' }]), element([call('Rome', 'fc-rome')]), element([call('Oslo', 'fc-oslo')], 'STOP')];
    const sse = exchange(`${base}:streamGenerateContent?alt=sse`, request, sseBody(elements.map((data) => [undefined, data] as const)), 'text/event-stream');
    const array = exchange(`${base}:streamGenerateContent`, request, jsonArrayBody(elements), 'application/json');
    for (const recorded of [sse, array]) {
      expect(countWithAndWithoutContent(geminiAdapter, recorded)).toEqual([2, 2]);
      expect(toolCallIds(geminiAdapter, recorded)).toEqual(['fc-rome', 'fc-oslo']);
    }
  });

  it('the recorded answer without function calls records no count', () => {
    const [recorded] = loadRecording('gemini-generate-content.json');
    expect(countWithAndWithoutContent(geminiAdapter, recorded)).toEqual([undefined, undefined]);
  });
});

describe('Ollama chat', () => {
  it('tool_calls of a body and of a streamed line are counted', () => {
    const message = {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Bern' } } }, { function: { name: 'get_time', arguments: {} } }],
    };
    const request = { model: 'llama3.2', messages: [{ role: 'user', content: 'Weather and time in Bern?' }], tools: [] };
    const body = { model: 'llama3.2', created_at: '2026-01-01T00:00:00Z', message, done: true, done_reason: 'stop', prompt_eval_count: 20, eval_count: 10 };
    const plain = exchange('http://localhost:11434/api/chat', { ...request, stream: false }, JSON.stringify(body), 'application/json');
    const streamed = exchange(
      'http://localhost:11434/api/chat',
      request,
      ndjsonBody([
        { ...body, done: false, message },
        { ...body, message: { role: 'assistant', content: '' } },
      ]),
      'application/x-ndjson',
    );
    expect(countWithAndWithoutContent(ollamaChatAdapter, plain)).toEqual([2, 2]);
    expect(countWithAndWithoutContent(ollamaChatAdapter, streamed)).toEqual([2, 2]);
  });
});
