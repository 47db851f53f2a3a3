import { describe, expect, it } from 'vitest';
import { MAX_PARTS_PER_CALL } from '../../src/content/text-budget';
import { ResponseObserver } from '../../src/framing/response-observer';
import type { ProviderAdapter, ResponseAccumulator } from '../../src/providers/adapter';
import { anthropicMessagesAdapter } from '../../src/providers/anthropic-messages';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { openAiResponsesAdapter } from '../../src/providers/openai-responses';
import { toLlmRequest } from '../support/replay';

// Issue 8 item 14: a never-ending stream alternating content and named tool-call deltas grew the heap
// linearly (13-22 MB/s) with default settings: the text budget bounds characters, not parts or keyed
// entries. Each structure that grows with the stream is counted here, through the real observer and
// the real accumulators, after many more events than any bound.
const EVENTS = 40_000;
const DEFAULTS = { captureContent: false, keepOutputText: true, maxTextLength: 256 * 1024 };

/** The structures of an accumulator that could grow with a stream, by count. */
function structureCounts(accumulator: ResponseAccumulator): { parts: number; keyed: number; outputs: number } {
  // White-box on purpose: the retained size is what the bound promises, and these are its holders.
  const holders: { ordered: unknown[]; keyed: Map<unknown, unknown> }[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 4) return;
    if ('ordered' in value && 'keyed' in value) holders.push(value as (typeof holders)[number]);
    if (value instanceof Map) for (const entry of value.values()) visit(entry, depth + 1);
    else for (const entry of Object.values(value)) visit(entry, depth + 1);
  };
  visit(accumulator, 0);
  return {
    parts: holders.reduce((sum, holder) => sum + holder.ordered.length, 0),
    keyed: holders.reduce((sum, holder) => sum + holder.keyed.size, 0),
    outputs: holders.length,
  };
}

function stream(adapter: ProviderAdapter, url: string, body: unknown, event: (i: number) => string, options = DEFAULTS) {
  const request = toLlmRequest({ method: 'POST', url, headers: {}, body: JSON.stringify(body) });
  const parsed = adapter.parseRequest(request);
  const accumulator = adapter.createAccumulator(parsed, options);
  const problems: string[] = [];
  const observer = new ResponseObserver(
    'sse',
    accumulator,
    { onFirstEvent: () => undefined, onProblem: (problem) => problems.push(problem) },
    { maxBodyLength: 4 << 20, maxEventLength: 8 << 20 },
  );
  const encoder = new TextEncoder();
  for (let i = 0; i < EVENTS; i++) observer.push(encoder.encode(event(i)));
  const counts = structureCounts(accumulator);
  observer.end();
  return { counts, response: accumulator.finish(), problems };
}

describe('a long adversarial stream keeps bounded structures', () => {
  it('OpenAI chat: alternating content and named tool-call deltas with fresh indexes', () => {
    const { counts, response, problems } = stream(
      openAiChatAdapter,
      'https://api.openai.com/v1/chat/completions',
      { model: 'gpt-4o', messages: [], stream: true },
      (i) => {
        const delta = i % 2 === 0 ? { content: 'word ' } : { tool_calls: [{ index: i, id: `call_${i}`, function: { name: `tool_${i}`, arguments: '{}' } }] };
        // Fresh choice indexes too: they share the last slot past 128.
        return `data: ${JSON.stringify({ id: 'c', model: 'gpt-4o', choices: [{ index: i % 500, delta, finish_reason: i % 3 === 0 ? `reason_${i}` : null }] })}\n\n`;
      },
    );
    expect(problems).toEqual([]);
    // Before: parts grew by one per event (40,000) and keyed entries by one per tool call (20,000).
    expect(counts.parts).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(counts.keyed).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(counts.outputs).toBeLessThanOrEqual(129);
    expect(response.finishReasons?.length ?? 0).toBeLessThanOrEqual(129);
    expect(response.outputTruncated).toBe(true);
    expect(response.outputTextForEstimate?.length ?? 0).toBeLessThanOrEqual(DEFAULTS.maxTextLength + MAX_PARTS_PER_CALL * 256);
  });

  it('Anthropic: a new content block per event', () => {
    const { counts, response } = stream(
      anthropicMessagesAdapter,
      'https://api.anthropic.com/v1/messages',
      { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [], stream: true },
      (i) => {
        const block = i % 2 === 0 ? { type: 'text', text: 'word ' } : { type: 'tool_use', id: `toolu_${i}`, name: `tool_${i}`, input: {} };
        return `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: i, content_block: block })}\n\n`;
      },
    );
    expect(counts.parts).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(counts.keyed).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(response.outputTruncated).toBe(true);
  });

  it('Responses: output items and text deltas under ever-new indexes', () => {
    const { counts, response } = stream(openAiResponsesAdapter, 'https://api.openai.com/v1/responses', { model: 'gpt-5', input: 'hi', stream: true }, (i) => {
      const data =
        i % 2 === 0
          ? { type: 'response.output_text.delta', output_index: i, content_index: i, delta: 'word ' }
          : { type: 'response.output_item.added', output_index: i, item: { type: 'function_call', call_id: `c${i}`, name: `tool_${i}`, arguments: '' } };
      return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    });
    expect(counts.parts).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(counts.keyed).toBeLessThanOrEqual(MAX_PARTS_PER_CALL);
    expect(response.outputTruncated).toBe(true);
  });

  it('a short stream keeps everything and is not marked truncated', () => {
    const request = toLlmRequest({
      method: 'POST',
      url: 'https://api.openai.com/v1/chat/completions',
      headers: {},
      body: '{"model":"gpt-4o","messages":[],"stream":true}',
    });
    const accumulator = openAiChatAdapter.createAccumulator(openAiChatAdapter.parseRequest(request), DEFAULTS);
    accumulator.onEvent({ data: { choices: [{ index: 0, delta: { content: 'Hello' }, finish_reason: 'stop' }] } });
    expect(accumulator.finish()).toMatchObject({ outputTextForEstimate: 'Hello', finishReasons: ['stop'] });
    expect(accumulator.finish().outputTruncated).toBeUndefined();
  });
});
