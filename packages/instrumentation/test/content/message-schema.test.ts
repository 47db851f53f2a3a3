import { describe, expect, it } from 'vitest';
import type { MessagePart } from '../../src/content/messages';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic-messages';
import { geminiAdapter } from '../../src/providers/gemini';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { openAiResponsesAdapter } from '../../src/providers/openai-responses';
import { exchange, parseRequestWithContent, replay, toLlmRequest } from '../support/replay';

// Issue 9 item 5: message-schema parts must validate against the GenAI message JSON schemas
// (semantic-conventions-genai docs/gen-ai/gen-ai-{input,output}-messages.json): a `blob` part requires
// `content`, a `file` part `file_id` and `modality`, a `uri` part `uri` and `modality`, a
// `server_tool_call` part `name` and `server_tool_call.type`, a `server_tool_call_response` part its
// `server_tool_call_response.type`. These are the schema's `required` lists, checked per part.
const REQUIRED: Record<string, string[]> = {
  text: ['content'],
  reasoning: ['content'],
  tool_call: ['name'],
  tool_call_response: ['response'],
  blob: ['modality', 'content'],
  file: ['modality', 'file_id'],
  uri: ['modality', 'uri'],
  server_tool_call: ['name', 'server_tool_call'],
  server_tool_call_response: ['server_tool_call_response'],
};

function violations(parts: readonly MessagePart[]): string[] {
  const found: string[] = [];
  for (const part of parts) {
    for (const field of REQUIRED[part.type] ?? []) if ((part as Record<string, unknown>)[field] === undefined) found.push(`${part.type} without ${field}`);
    for (const nested of ['server_tool_call', 'server_tool_call_response'] as const) {
      const value = (part as Record<string, unknown>)[nested] as { type?: unknown } | undefined;
      if (part.type === nested && typeof value?.type !== 'string') found.push(`${nested} without its type`);
    }
  }
  return found;
}

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('request parts validate against the message schema', () => {
  it('OpenAI chat: data-URL images, input audio, uploaded and inline files', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-abc123' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
      ],
    };
    const parts =
      parseRequestWithContent(openAiChatAdapter, toLlmRequest(exchange('https://api.openai.com/v1/chat/completions', body, '', 'application/json').request))
        .inputMessages?.[0].parts ?? [];
    expect(violations(parts)).toEqual([]);
    expect(parts).toEqual([
      { type: 'omitted_blob', modality: 'image', mime_type: 'image/png' },
      { type: 'omitted_blob', modality: 'audio', mime_type: 'audio/wav' },
      { type: 'file', modality: 'document', file_id: 'file-abc123' },
      { type: 'omitted_blob', modality: 'document' },
    ]);
    expect(JSON.stringify(parts)).not.toContain(PNG);
  });

  it('Responses: an image by file id is a file part, not a uri', () => {
    const body = {
      model: 'gpt-5',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', file_id: 'file-img' },
            { type: 'input_file', file_id: 'file-pdf' },
          ],
        },
      ],
    };
    const parts =
      parseRequestWithContent(openAiResponsesAdapter, toLlmRequest(exchange('https://api.openai.com/v1/responses', body, '', 'application/json').request))
        .inputMessages?.[0].parts ?? [];
    expect(violations(parts)).toEqual([]);
    expect(parts).toEqual([
      { type: 'file', modality: 'image', file_id: 'file-img' },
      { type: 'file', modality: 'document', file_id: 'file-pdf' },
    ]);
  });

  it('Anthropic: base64 image, Files API document, server tool use and its result replayed in the conversation', () => {
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
            { type: 'document', source: { type: 'file', file_id: 'file_011' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather Paris' } },
            {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_1',
              content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Weather' }],
            },
          ],
        },
      ],
    };
    const content = parseRequestWithContent(
      anthropicMessagesAdapter,
      toLlmRequest(exchange('https://api.anthropic.com/v1/messages', body, '', 'application/json').request),
    );
    const parts = (content.inputMessages ?? []).flatMap((message) => message.parts);
    expect(violations(parts)).toEqual([]);
    expect(parts).toEqual([
      { type: 'omitted_blob', modality: 'image', mime_type: 'image/png' },
      { type: 'file', modality: 'document', file_id: 'file_011' },
      { type: 'server_tool_call', id: 'srvtoolu_1', name: 'web_search', server_tool_call: { type: 'web_search', arguments: { query: 'weather Paris' } } },
      { type: 'server_tool_call_response', id: 'srvtoolu_1', server_tool_call_response: { type: 'web_search_tool_result' } },
    ]);
  });

  it('Gemini: inline data is an omitted blob with its media type', () => {
    const body = { contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } }] }] };
    const url = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent';
    const parts = parseRequestWithContent(geminiAdapter, toLlmRequest(exchange(url, body, '', 'application/json').request)).inputMessages?.[0].parts ?? [];
    expect(violations(parts)).toEqual([]);
    expect(parts).toEqual([{ type: 'omitted_blob', modality: 'document', mime_type: 'application/pdf' }]);
  });
});

describe('response parts validate against the message schema', () => {
  it('Anthropic server tools in a response are server_tool_call and server_tool_call_response parts', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather Paris' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'Sunny.' },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 10, output_tokens: 5, server_tool_use: { web_search_requests: 1 } },
    };
    const { response } = replay(
      anthropicMessagesAdapter,
      exchange(
        'https://api.anthropic.com/v1/messages',
        { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [] },
        JSON.stringify(body),
        'application/json',
      ),
    );
    const parts = response.outputMessages?.[0].parts ?? [];
    expect(violations(parts)).toEqual([]);
    // Before: the server tool use was a client `tool_call`, its result a bare `{type}` part.
    expect(parts.map((part) => part.type)).toEqual(['server_tool_call', 'server_tool_call_response', 'text']);
  });
});
