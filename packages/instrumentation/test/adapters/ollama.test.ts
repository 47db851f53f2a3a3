import { describe, expect, it } from 'vitest';
import { ollamaAdapter as adapter } from '../../src/providers/ollama';
import { exchange, replay } from '../support/replay';
import { ndjsonBody } from '../support/wire-bodies';

const CHAT = 'http://localhost:11434/api/chat';
const GENERATE = 'http://localhost:11434/api/generate';

const finalStats = {
  total_duration: 4883583458,
  load_duration: 1334875,
  prompt_eval_count: 26,
  prompt_eval_duration: 342546000,
  eval_count: 282,
  eval_duration: 4535599000,
};

describe('ollama adapter', () => {
  const chatRequest = {
    model: 'qwen3:8b',
    think: true,
    messages: [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'What is in this picture?', images: ['iVBORw0KGgoAAAANSUhEUg=='] },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'describe_image', arguments: { detail: 'high' } } }] },
      { role: 'tool', content: 'a cat on a sofa', tool_name: 'describe_image' },
    ],
    options: { temperature: 0.7, top_p: 0.9, top_k: 40, seed: 123, num_predict: 256, stop: ['<|im_end|>'], num_ctx: 8192 },
    format: 'json',
  };

  it('streams by default, parses options and messages', () => {
    const { request, framing } = replay(adapter, exchange(CHAT, chatRequest, '', 'application/x-ndjson'));
    expect(framing).toBe('ndjson');
    expect(request).toMatchObject({ operation: 'chat', model: 'qwen3:8b', stream: true });
    expect(request.attributes).toEqual({
      'gen_ai.request.temperature': 0.7,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.seed': 123,
      'gen_ai.request.max_tokens': 256,
      'gen_ai.request.stop_sequences': ['<|im_end|>'],
      'gen_ai.output.type': 'json',
      'gen_ai.request.stream': true,
    });
    expect(request.inputMessages).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be terse.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is in this picture?' },
          { type: 'omitted_blob', modality: 'image' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: undefined, name: 'describe_image', arguments: { detail: 'high' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: undefined, response: 'a cat on a sofa' }] },
    ]);
  });

  it('accumulates an NDJSON chat stream with thinking; usage and done_reason from the done line', () => {
    const lines = [
      { model: 'qwen3:8b', created_at: '2025-10-26T17:15:24.097767Z', message: { role: 'assistant', content: '', thinking: 'A cat ' }, done: false },
      { model: 'qwen3:8b', created_at: '2025-10-26T17:15:24.109172Z', message: { role: 'assistant', content: '', thinking: 'is visible.' }, done: false },
      { model: 'qwen3:8b', created_at: '2025-10-26T17:15:24.121485Z', message: { role: 'assistant', content: '{"animal":' }, done: false },
      { model: 'qwen3:8b', created_at: '2025-10-26T17:15:24.132802Z', message: { role: 'assistant', content: '"chat 🐈"}' }, done: false },
      {
        model: 'qwen3:8b',
        created_at: '2025-10-26T17:15:24.166576Z',
        message: { role: 'assistant', content: '' },
        done: true,
        done_reason: 'stop',
        ...finalStats,
      },
    ];
    const { response, problems, eventCount } = replay(adapter, exchange(CHAT, chatRequest, ndjsonBody(lines), 'application/x-ndjson'));
    expect(problems).toEqual([]);
    expect(eventCount).toBe(5);
    expect(response).toEqual({
      model: 'qwen3:8b',
      usage: { inputTokens: 26, outputTokens: 282 },
      finishReasons: ['stop'],
      outputTextForEstimate: 'A cat is visible.{"animal":"chat 🐈"}',
      outputMessages: [
        {
          role: 'assistant',
          finish_reason: 'stop',
          parts: [
            { type: 'reasoning', content: 'A cat is visible.' },
            { type: 'text', content: '{"animal":"chat 🐈"}' },
          ],
        },
      ],
    });
  });

  it('reads a non-streamed chat answer with a tool call', () => {
    const body = JSON.stringify({
      model: 'llama3.2',
      created_at: '2024-07-22T20:33:28.123648Z',
      message: {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } } }],
      },
      done_reason: 'stop',
      done: true,
      total_duration: 885095291,
      load_duration: 3753500,
      prompt_eval_count: 122,
      prompt_eval_duration: 328493000,
      eval_count: 33,
      eval_duration: 552222000,
    });
    const { request, response, framing } = replay(
      adapter,
      exchange(CHAT, { model: 'llama3.2', stream: false, messages: [{ role: 'user', content: 'Weather in Paris?' }] }, body, 'application/json; charset=utf-8'),
    );
    expect(framing).toBe('json');
    expect(request.stream).toBe(false);
    expect(response.usage).toEqual({ inputTokens: 122, outputTokens: 33 });
    expect(response.outputMessages).toEqual([
      {
        role: 'assistant',
        finish_reason: 'stop',
        parts: [{ type: 'tool_call', id: undefined, name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } }],
      },
    ]);
  });

  it('treats /api/generate as text_completion: prompt, system, streamed response', () => {
    const requestBody = { model: 'llama3.2', prompt: 'Why is the sky blue?', system: 'Answer like a pirate.', options: { num_predict: 100 } };
    const lines = [
      { model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00', response: 'Arr, ', done: false },
      { model: 'llama3.2', created_at: '2023-08-04T08:52:19.385406455-07:00', response: 'Rayleigh scattering!', done: false },
      {
        model: 'llama3.2',
        created_at: '2023-08-04T19:22:45.499127Z',
        response: '',
        done: true,
        done_reason: 'length',
        context: [1, 2, 3],
        ...finalStats,
        eval_count: 100,
      },
    ];
    const { request, response } = replay(adapter, exchange(GENERATE, requestBody, ndjsonBody(lines), 'application/x-ndjson'));
    expect(request.operation).toBe('text_completion');
    expect(request.systemInstructions).toEqual([{ type: 'text', content: 'Answer like a pirate.' }]);
    expect(request.inputMessages).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Why is the sky blue?' }] }]);
    expect(request.attributes['gen_ai.request.max_tokens']).toBe(100);
    expect(response.usage).toEqual({ inputTokens: 26, outputTokens: 100 });
    expect(response.finishReasons).toEqual(['length']);
    expect(response.outputTextForEstimate).toBe('Arr, Rayleigh scattering!');
  });

  it('reports an error line mid-stream and an error body', () => {
    const lines = [
      { model: 'llama3.2', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', content: 'Hel' }, done: false },
      { error: 'an error was encountered while running the model: unexpected EOF' },
    ];
    const { response } = replay(adapter, exchange(CHAT, chatRequest, ndjsonBody(lines), 'application/x-ndjson'));
    expect(response.error).toEqual({ type: undefined, message: 'an error was encountered while running the model: unexpected EOF' });
    expect(response.usage).toBeUndefined();
    expect(adapter.parseError({ error: 'model "llama9" not found, try pulling it first' }, 404)).toEqual({
      message: 'model "llama9" not found, try pulling it first',
    });
  });

  it('tells Ollama bodies from web-app /api/chat bodies', () => {
    expect(adapter.looksLikeRequest(chatRequest)).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'llama3.2', prompt: 'hi' })).toBe(true);
    expect(adapter.looksLikeRequest({ id: 'chat-1', messages: [{ role: 'user', content: 'hi' }] })).toBe(false);
    expect(adapter.vendor).toEqual({ name: 'ollama', shared: false });
  });
});
