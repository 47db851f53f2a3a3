import { sseEvents } from '@llm-otel/provider-stand-in';
import { sseBody } from '../../../packages/instrumentation/test/support/wire-bodies';

/** What the cached tool-use stream below reports, for the assertions. */
export const CACHED_TOOL_USE = {
  id: 'msg_01Lm8XqTQ7ZbV3kRc9NwYe5D',
  model: 'claude-sonnet-4-6',
  input: 21,
  cacheRead: 2048,
  cacheCreation: 1024,
  /** message_start says 3; message_delta's cumulative count is the total. */
  output: 58,
  toolUseId: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
};

/**
 * A streamed Messages response that reads a cached system prompt, writes a new cache entry, says a
 * sentence and calls a tool, as the API documents it: `message_start` with the input-side usage and a
 * provisional output count, a text block and a `tool_use` block whose input arrives as
 * `input_json_delta`s, a `ping`, and a `message_delta` whose usage is cumulative (it repeats the input
 * counts and holds the final output count).
 */
export function cachedToolUseStream(): string[] {
  const { id, model, input, cacheRead, cacheCreation, output, toolUseId } = CACHED_TOOL_USE;
  const inputUsage = { input_tokens: input, cache_creation_input_tokens: cacheCreation, cache_read_input_tokens: cacheRead };
  const text = (piece: string) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }] as const;
  const json = (piece: string) =>
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: piece } }] as const;
  return sseEvents(
    sseBody([
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            model,
            id,
            type: 'message',
            role: 'assistant',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              ...inputUsage,
              cache_creation: { ephemeral_5m_input_tokens: cacheCreation, ephemeral_1h_input_tokens: 0 },
              output_tokens: 3,
              service_tier: 'standard',
            },
          },
        },
      ],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', { type: 'ping' }],
      text('I'),
      text("'ll look up order A-1234"),
      text(' for you.'),
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'content_block_start',
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: toolUseId, name: 'get_order_status', input: {} } },
      ],
      json(''),
      json('{"order_id": "A-'),
      json('1234"}'),
      ['content_block_stop', { type: 'content_block_stop', index: 1 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { ...inputUsage, output_tokens: output } }],
      ['message_stop', { type: 'message_stop' }],
    ]),
  );
}

/** Anthropic's error body, e.g. `overloaded_error` / `Overloaded` with HTTP 529. */
export function anthropicErrorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });
}
