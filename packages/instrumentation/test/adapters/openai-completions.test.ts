import { describe, expect, it } from 'vitest';
import { openAiCompletionsAdapter as adapter } from '../../src/providers/openai-completions';
import { exchange, replay } from '../support/replay';
import { sseBody } from '../support/wire-bodies';

const URL_COMPLETIONS = 'https://api.openai.com/v1/completions';

describe('openai legacy completions adapter', () => {
  const requestBody = {
    model: 'gpt-3.5-turbo-instruct',
    prompt: 'Say this is a test',
    max_tokens: 7,
    temperature: 0,
    top_p: 1,
    n: 1,
    seed: 42,
    stop: '\n\n',
    presence_penalty: 0.5,
    frequency_penalty: 0.25,
  };

  it('parses a text_completion request', () => {
    const { request } = replay(adapter, exchange(URL_COMPLETIONS, requestBody, '{}', 'application/json'));
    expect(request).toMatchObject({ operation: 'text_completion', model: 'gpt-3.5-turbo-instruct', stream: false });
    expect(request.attributes).toEqual({
      'gen_ai.request.temperature': 0,
      'gen_ai.request.top_p': 1,
      'gen_ai.request.max_tokens': 7,
      'gen_ai.request.seed': 42,
      'gen_ai.request.frequency_penalty': 0.25,
      'gen_ai.request.presence_penalty': 0.5,
      'gen_ai.request.choice.count': 1,
      'gen_ai.request.stop_sequences': ['\n\n'],
      'openai.api.type': 'completions',
    });
    expect(request.inputMessages).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Say this is a test' }] }]);
  });

  it('reads a non-streamed completion', () => {
    const body = JSON.stringify({
      id: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7',
      object: 'text_completion',
      created: 1589478378,
      model: 'gpt-3.5-turbo-instruct',
      system_fingerprint: 'fp_44709d6fcb',
      choices: [{ text: '\n\nThis is indeed a test', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
    });
    const { response } = replay(adapter, exchange(URL_COMPLETIONS, requestBody, body, 'application/json'));
    expect(response).toEqual({
      id: 'cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7',
      model: 'gpt-3.5-turbo-instruct',
      usage: { inputTokens: 5, outputTokens: 7, cacheReadInputTokens: undefined, reasoningOutputTokens: undefined },
      finishReasons: ['length'],
      attributes: { 'openai.response.system_fingerprint': 'fp_44709d6fcb' },
      outputTextForEstimate: '\n\nThis is indeed a test',
      outputMessages: [{ role: 'assistant', parts: [{ type: 'text', content: '\n\nThis is indeed a test' }], finish_reason: 'length' }],
    });
  });

  it('accumulates a stream of two choices with usage on the last chunk', () => {
    const chunk = (choices: unknown[], extra: object = {}) => ({
      id: 'cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe',
      object: 'text_completion',
      created: 1690759702,
      choices,
      model: 'gpt-3.5-turbo-instruct',
      system_fingerprint: 'fp_44709d6fcb',
      ...extra,
    });
    const body = sseBody([
      [undefined, chunk([{ text: 'This', index: 0, logprobs: null, finish_reason: null }])],
      [undefined, chunk([{ text: 'That', index: 1, logprobs: null, finish_reason: null }])],
      [undefined, chunk([{ text: ' is', index: 0, logprobs: null, finish_reason: null }])],
      [undefined, chunk([{ text: ' was', index: 1, logprobs: null, finish_reason: 'length' }])],
      [undefined, chunk([{ text: ' it.', index: 0, logprobs: null, finish_reason: 'stop' }])],
      [undefined, chunk([], { usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 } })],
      [undefined, '[DONE]'],
    ]);
    const { request, response, problems } = replay(
      adapter,
      exchange(URL_COMPLETIONS, { ...requestBody, n: 2, stream: true, stream_options: { include_usage: true } }, body, 'text/event-stream'),
    );
    expect(problems).toEqual([]);
    expect(request.stream).toBe(true);
    expect(response.id).toBe('cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe');
    expect(response.usage).toMatchObject({ inputTokens: 5, outputTokens: 6 });
    expect(response.finishReasons).toEqual(['stop', 'length']);
    expect(response.outputMessages).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'This is it.' }], finish_reason: 'stop' },
      { role: 'assistant', parts: [{ type: 'text', content: 'That was' }], finish_reason: 'length' },
    ]);
    expect(response.outputTextForEstimate).toBe('This is it.That was');
  });

  it('matches legacy and Azure completions, never chat completions', () => {
    expect(adapter.matchesPath(new URL('https://api.openai.com/v1/completions'))).toBe(true);
    expect(adapter.matchesPath(new URL('https://x.openai.azure.com/openai/deployments/instruct/completions?api-version=2024-10-21'))).toBe(true);
    expect(adapter.matchesPath(new URL('https://api.openai.com/v1/chat/completions'))).toBe(false);
    expect(adapter.looksLikeRequest({ model: 'm', prompt: 'p' })).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'm', messages: [] })).toBe(false);
  });
});
