import { describe, expect, it } from 'vitest';
import { openAiChatAdapter as adapter } from '../../src/providers/openai-chat';
import { exchange, loadRecording, replay, toLlmRequest, parseRequestWithContent } from '../support/replay';

describe('openai chat completions adapter on recorded traffic', () => {
  it('reads a non-streamed completion with usage details and service tier', () => {
    const [recorded] = loadRecording('openai-chat.json');
    const { request, response, framing } = replay(adapter, recorded);
    expect(framing).toBe('json');
    expect(request).toMatchObject({ operation: 'chat', model: 'gpt-3.5-turbo', stream: false });
    expect(response).toEqual({
      id: 'chatcmpl-C4TUZMARo4XM8eqL685o7Un8pCHDX',
      model: 'gpt-3.5-turbo-0125',
      serviceTier: 'default',
      attributes: { 'openai.response.service_tier': 'default' },
      usage: {
        inputTokens: 15,
        outputTokens: 20,
        cacheReadInputTokens: 0,
        reasoningOutputTokens: 0,
        inputByModality: { audio: 0 },
        outputByModality: { audio: 0 },
      },
      finishReasons: ['stop'],
      outputTextForEstimate: 'Why did the OpenTelemetry developer go broke? \n\nBecause they kept trying to trace their expenses!',
      outputMessages: [
        {
          role: 'assistant',
          finish_reason: 'stop',
          parts: [{ type: 'text', content: 'Why did the OpenTelemetry developer go broke? \n\nBecause they kept trying to trace their expenses!' }],
        },
      ],
    });
  });

  it('reads a non-streamed tool call', () => {
    const [recorded] = loadRecording('openai-chat-tool-calls.json');
    const { response } = replay(adapter, recorded);
    expect(response.model).toBe('gpt-4-0613');
    expect(response.usage).toMatchObject({ inputTokens: 82, outputTokens: 18 });
    expect(response.finishReasons).toEqual(['tool_calls']);
    expect(response.outputMessages).toEqual([
      {
        role: 'assistant',
        finish_reason: 'tool_calls',
        parts: [{ type: 'tool_call', id: 'call_m0dpaUwYpBdHG63EvxJH3FZU', name: 'get_current_weather', arguments: { location: 'Boston, MA' } }],
      },
    ]);
  });

  it('has no usage when the stream was not asked for it, but keeps the text to estimate from', () => {
    const [recorded] = loadRecording('openai-chat-stream-no-usage.json');
    const { request, response, framing, problems } = replay(adapter, recorded);
    expect(framing).toBe('sse');
    expect(problems).toEqual([]);
    expect(request.stream).toBe(true);
    expect(response.id).toBe('chatcmpl-C4TUacC25IN2vuTdOzverPXrXhZa2');
    expect(response.usage).toBeUndefined();
    expect(response.finishReasons).toEqual(['stop']);
    expect(response.outputTextForEstimate).toBe(
      'Why did the OpenTelemetry developer go broke? Because they were always collecting traces but never making any transactions!',
    );
    // The role is text OpenAI counts too (cookbook accounting): 15 tokens estimated, 15 reported for this request.
    expect(request.inputTextsForEstimate?.()).toEqual({ texts: ['user', 'Tell me a joke about OpenTelemetry'], messageCount: 1, fixedTokens: 0 });
  });

  it('reads usage from the last chunk with empty choices (include_usage), for a tool call and its answer', () => {
    const [toolCall, answer] = loadRecording('openai-chat-stream-include-usage.json');
    const first = replay(adapter, toolCall);
    expect(first.response.id).toBe('chatcmpl-C5YBuzgDBkyemahVCox4pY4NXekMb');
    expect(first.response.usage).toMatchObject({ inputTokens: 91, outputTokens: 21, cacheReadInputTokens: 0, reasoningOutputTokens: 0 });
    expect(first.response.finishReasons).toEqual(['tool_calls']);
    expect(first.response.outputMessages?.[0].parts).toEqual([
      { type: 'tool_call', id: 'call_yYw3O05GCuxVOwgU8T9xj1kt', name: 'calculator', arguments: { input: '5 * (10 + 2)' } },
    ]);

    const second = replay(adapter, answer);
    expect(second.request.inputMessages).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful assistant that can use tools to answer questions.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Solve `5 * (10 + 2)`' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: '' },
          { type: 'tool_call', id: 'call_yYw3O05GCuxVOwgU8T9xj1kt', name: 'calculator', arguments: { input: '5 * (10 + 2)' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_yYw3O05GCuxVOwgU8T9xj1kt', response: '60' }] },
    ]);
    expect(second.response.usage).toMatchObject({ inputTokens: 120, outputTokens: 19, cacheReadInputTokens: 0, reasoningOutputTokens: 0 });
    expect(second.response.outputTextForEstimate).toBe('The result of the expression `5 * (10 + 2)` is 60.');
  });

  it('assembles two streamed tool calls from their argument deltas', () => {
    const [recorded] = loadRecording('openai-chat-stream-tool-calls.json');
    const { response } = replay(adapter, recorded);
    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(response.outputMessages?.[0].parts).toEqual([
      { type: 'tool_call', id: 'call_SHtIMpPE5ainCyw3LLf32VcZ', name: 'get_current_weather', arguments: { location: 'Boston, MA' } },
      { type: 'tool_call', id: 'call_HvockKv2nSWQzdTmCv0p2IZD', name: 'get_tomorrow_weather', arguments: { location: 'Chicago, IL' } },
    ]);
  });

  it('reads Together usage from the final chunk that still has choices, with finish_reason eos', () => {
    const [recorded] = loadRecording('together-chat-stream.json');
    const { request, response } = replay(adapter, recorded);
    expect(request.model).toBe('Qwen/Qwen2.5-72B-Instruct-Turbo');
    expect(response.id).toBe('914b8585daa915a0');
    expect(response.model).toBe('Qwen/Qwen2.5-72B-Instruct-Turbo');
    expect(response.usage).toEqual({ inputTokens: 37, outputTokens: 53, cacheReadInputTokens: undefined, reasoningOutputTokens: undefined });
    expect(response.finishReasons).toEqual(['eos']);
    expect(response.outputTextForEstimate).toBe(
      "Sure, here's a light-hearted joke for you:\n\nWhy did the developer decide to use OpenTelemetry?\n\nBecause he wanted to trace the root of all his performance issues, and he heard OpenTelemetry could help him log it all without losing his sanity!",
    );
  });

  it('leaves the model undefined for an Azure deployment request without one', () => {
    const azure = exchange(
      'https://my-resource.openai.azure.com/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21',
      { messages: [{ role: 'user', content: 'hi' }] },
      '',
      'application/json',
    );
    expect(adapter.matchesPath(new URL(azure.request.url))).toBe(true);
    expect(parseRequestWithContent(adapter, toLlmRequest(azure.request)).model).toBeUndefined();
    expect(adapter.matchesPath(new URL('https://my-resource.openai.azure.com/openai/v1/chat/completions'))).toBe(true);
  });
});
