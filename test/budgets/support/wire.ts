import type { ScriptedResponse } from '@llm-otel/provider-stand-in';

/** gpt-4o-mini at $0.15 / $0.60 per 1M tokens: 1000 in + 1000 out = $0.00075 = 750 micro-dollars. */
export const OPENAI_CALL_MICROS = 750;
/** claude-3-5-haiku at $0.80 / $4 per 1M tokens: 1000 in + 1000 out = $0.0048 = 4800 micro-dollars. */
export const ANTHROPIC_CALL_MICROS = 4800;

export function openaiCompletion(stream: boolean, model = 'gpt-4o-mini-2024-07-18'): ScriptedResponse {
  const usage = { prompt_tokens: 1000, completion_tokens: 1000, total_tokens: 2000 };
  if (!stream) {
    return {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'chatcmpl-budget',
        object: 'chat.completion',
        created: 1,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage,
      }),
    };
  }
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-budget', object: 'chat.completion.chunk', created: 1, model, choices, ...extra })}\n\n`;
  return {
    headers: { 'content-type': 'text/event-stream' },
    chunks: [
      chunk([{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage }),
      'data: [DONE]\n\n',
    ],
  };
}

export function anthropicMessage(stream: boolean): ScriptedResponse {
  const message = { id: 'msg_budget', type: 'message', role: 'assistant', model: 'claude-3-5-haiku-20241022', stop_reason: 'end_turn', stop_sequence: null };
  if (!stream) {
    return {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...message, content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 1000, output_tokens: 1000 } }),
    };
  }
  const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  return {
    headers: { 'content-type': 'text/event-stream' },
    chunks: [
      event('message_start', {
        type: 'message_start',
        message: { ...message, stop_reason: null, content: [], usage: { input_tokens: 1000, output_tokens: 1 } },
      }),
      event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }),
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1000 } }),
      event('message_stop', { type: 'message_stop' }),
    ],
  };
}
