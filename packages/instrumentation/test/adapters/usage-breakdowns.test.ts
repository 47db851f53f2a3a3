import { describe, expect, it } from 'vitest';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic-messages';
import { geminiAdapter } from '../../src/providers/gemini';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { addUsageAttributes } from '../../src/span/usage-attributes';
import { exchange, loadRecording, replay } from '../support/replay';
import { sseBody } from '../support/wire-bodies';

// Issue 9 item 1: provider usage breakdowns the adapters ignored. Each case is a recorded exchange
// with the field the current API reference documents added (the recordings predate the fields), or
// a body written to that reference.

describe('Anthropic thinking tokens', () => {
  const [recorded] = loadRecording('anthropic-messages-thinking.json');

  it('the recording (August 2025) has no thinking_tokens: reasoning tokens stay unset, never guessed', () => {
    const { response } = replay(anthropicMessagesAdapter, recorded);
    expect(response.usage).toEqual({ inputTokens: 49, outputTokens: 186, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(response.usage?.reasoningOutputTokens).toBeUndefined();
  });

  it('reads usage.output_tokens_details.thinking_tokens of a JSON message as reasoning tokens (inside output)', () => {
    const body = JSON.parse(recorded.response.body) as { usage: Record<string, unknown> };
    body.usage.output_tokens_details = { thinking_tokens: 61 };
    const withDetails = { request: recorded.request, response: { ...recorded.response, body: JSON.stringify(body) } };
    const { response } = replay(anthropicMessagesAdapter, withDetails);
    expect(response.usage).toEqual({ inputTokens: 49, outputTokens: 186, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, reasoningOutputTokens: 61 });
  });

  it('reads the cumulative thinking_tokens of the stream message_delta', () => {
    const stream = sseBody([
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-opus-4-1-20250805',
            content: [],
            usage: { input_tokens: 49, output_tokens: 1 },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '2+2 is 4.' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 186, output_tokens_details: { thinking_tokens: 61 } } },
      ],
      ['message_stop', { type: 'message_stop' }],
    ]);
    const { response } = replay(
      anthropicMessagesAdapter,
      exchange('https://api.anthropic.com/v1/messages', JSON.parse(recorded.request.body), stream, 'text/event-stream'),
    );
    expect(response.usage).toMatchObject({ inputTokens: 49, outputTokens: 186, reasoningOutputTokens: 61 });
  });
});

describe('OpenAI chat completion token details', () => {
  it('reads audio tokens per direction and non-zero prediction tokens', () => {
    const body = {
      id: 'chatcmpl-1',
      model: 'gpt-4o-audio-preview',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 300,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 80 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 250, accepted_prediction_tokens: 12, rejected_prediction_tokens: 7 },
      },
    };
    const { response } = replay(
      openAiChatAdapter,
      exchange('https://api.openai.com/v1/chat/completions', { model: 'gpt-4o-audio-preview', messages: [] }, JSON.stringify(body), 'application/json'),
    );
    expect(response.usage).toEqual({
      inputTokens: 120,
      outputTokens: 300,
      cacheReadInputTokens: 0,
      reasoningOutputTokens: 0,
      inputByModality: { audio: 80 },
      outputByModality: { audio: 250 },
      acceptedPredictionOutputTokens: 12,
      rejectedPredictionOutputTokens: 7,
    });
  });

  it('leaves the always-zero prediction counts of the recorded completion out', () => {
    const [recorded] = loadRecording('openai-chat.json');
    const { response } = replay(openAiChatAdapter, recorded);
    expect(response.usage?.acceptedPredictionOutputTokens).toBeUndefined();
    expect(response.usage?.rejectedPredictionOutputTokens).toBeUndefined();
  });
});

describe('Gemini per-modality usage', () => {
  it('sums prompt and tool-use prompt modalities, reads candidate modalities, leaves DOCUMENT out', () => {
    const body = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'A cat.' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: {
        promptTokenCount: 1290,
        candidatesTokenCount: 3,
        toolUsePromptTokenCount: 20,
        cachedContentTokenCount: 1000,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 10 },
          { modality: 'IMAGE', tokenCount: 258 },
          { modality: 'AUDIO', tokenCount: 700 },
          { modality: 'DOCUMENT', tokenCount: 322 },
        ],
        toolUsePromptTokensDetails: [{ modality: 'TEXT', tokenCount: 20 }],
        candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 3 }],
      },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r-1',
    };
    const url = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent';
    const { response } = replay(
      geminiAdapter,
      exchange(url, { contents: [{ role: 'user', parts: [{ text: 'What is it?' }] }] }, JSON.stringify(body), 'application/json'),
    );
    expect(response.usage).toEqual({
      inputTokens: 1310,
      outputTokens: 3,
      cacheReadInputTokens: 1000,
      reasoningOutputTokens: undefined,
      inputByModality: { text: 30, image: 258, audio: 700 },
      outputByModality: { text: 3 },
    });
  });
});

describe('usage attributes on the span', () => {
  const usage = {
    inputTokens: 120,
    outputTokens: 300,
    cacheReadInputTokens: 10,
    cacheCreationInputTokens: 20,
    reasoningOutputTokens: 5,
    inputByModality: { audio: 80, text: 40 },
    outputByModality: { audio: 250 },
    acceptedPredictionOutputTokens: 12,
  };

  it('v1.41 names by default: cache_creation, no per-modality counts', () => {
    const attributes = {};
    addUsageAttributes(attributes, usage, { genAiLatest: false });
    expect(attributes).toEqual({
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 10,
      'gen_ai.usage.cache_creation.input_tokens': 20,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'llm_otel.usage.accepted_prediction.output_tokens': 12,
    });
  });

  it('gen_ai_latest_experimental: cache_write instead of cache_creation, per-modality counts', () => {
    const attributes = {};
    addUsageAttributes(attributes, usage, { genAiLatest: true });
    expect(attributes).toEqual({
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 10,
      'gen_ai.usage.cache_write.input_tokens': 20,
      'gen_ai.usage.reasoning.output_tokens': 5,
      'gen_ai.usage.audio.input_tokens': 80,
      'gen_ai.usage.text.input_tokens': 40,
      'gen_ai.usage.audio.output_tokens': 250,
      'llm_otel.usage.accepted_prediction.output_tokens': 12,
    });
  });
});

describe('Anthropic 1-hour cache writes', () => {
  it('reads usage.cache_creation.ephemeral_1h_input_tokens (a part of cache_creation_input_tokens)', () => {
    const [recorded] = loadRecording('anthropic-messages-thinking.json');
    const body = JSON.parse(recorded.response.body) as { usage: Record<string, unknown> };
    body.usage.cache_creation_input_tokens = 3000;
    body.usage.cache_creation = { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 };
    const { response } = replay(anthropicMessagesAdapter, { request: recorded.request, response: { ...recorded.response, body: JSON.stringify(body) } });
    expect(response.usage).toMatchObject({ inputTokens: 3049, cacheCreationInputTokens: 3000, cacheWrite1hInputTokens: 2000 });
  });

  it('the recorded zero is left out', () => {
    const [recorded] = loadRecording('anthropic-messages-thinking.json');
    expect(recorded.response.body).toContain('"ephemeral_1h_input_tokens":0');
    expect(replay(anthropicMessagesAdapter, recorded).response.usage?.cacheWrite1hInputTokens).toBeUndefined();
  });
});
