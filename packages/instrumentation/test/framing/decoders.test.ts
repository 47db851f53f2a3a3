import { describe, expect, test } from 'vitest';
import { BoundedBody } from '../../src/framing/bounded-body';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { JsonArrayDecoder } from '../../src/framing/json-array-decoder';
import { LineDecoder } from '../../src/framing/line-decoder';
import { SseDecoder, type SseEvent } from '../../src/framing/sse-decoder';

/** Feeds `text` in pieces of every size from 1 to 7 characters and returns what each run decoded. */
function inPieces<T>(text: string, decode: (pieces: string[]) => T): T[] {
  const runs: T[] = [];
  for (let size = 1; size <= 7; size++) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
    runs.push(decode(pieces));
  }
  return runs;
}

describe('SseDecoder', () => {
  const decode = (pieces: string[], max = 1000) => {
    const events: SseEvent[] = [];
    let oversized = 0;
    const decoder = new SseDecoder(
      (event) => events.push(event),
      () => oversized++,
      max,
    );
    for (const piece of pieces) decoder.push(piece);
    decoder.end();
    return { events, oversized };
  };

  test('splits events on LF and CRLF blank lines, joins data lines, skips comments, keeps event names', () => {
    const text = ': keep-alive\n\nevent: message_start\ndata: {"a":1}\n\ndata: line1\ndata: line2\r\n\r\ndata:nospace\n\ndata: [DONE]\n\n';
    for (const run of inPieces(text, (pieces) => decode(pieces))) {
      expect(run.events).toEqual([{ name: 'message_start', data: '{"a":1}' }, { data: 'line1\nline2' }, { data: 'nospace' }, { data: '[DONE]' }]);
    }
  });

  test('an event cut before its blank line is discarded, as the specification says', () => {
    expect(decode(['data: {"x":1}\n\n', 'data: {"y"']).events).toEqual([{ data: '{"x":1}' }]);
  });

  test('an oversized event is skipped and reported, the next one still decodes', () => {
    const big = `data: ${'x'.repeat(5000)}\n\n`;
    const { events, oversized } = decode([big.slice(0, 2000), big.slice(2000), 'data: ok\n\n'], 1000);
    expect(oversized).toBe(1);
    expect(events).toEqual([{ data: 'ok' }]);
  });
});

describe('LineDecoder', () => {
  test('emits each non-empty NDJSON line in any chunking', () => {
    const text = '{"a":1}\n\n{"b":2}\r\n{"c":3}';
    for (const run of inPieces(text, (pieces) => {
      const lines: string[] = [];
      const decoder = new LineDecoder(
        (line) => lines.push(line),
        () => undefined,
        100,
      );
      for (const piece of pieces) decoder.push(piece);
      decoder.end();
      return lines;
    })) {
      expect(run).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    }
  });
});

describe('JsonArrayDecoder', () => {
  test('emits each element of a streamed array, strings with brackets and escapes included', () => {
    const elements = [
      { text: 'a ] } [ {', n: 1 },
      { text: 'quote \\" and \\\\', nested: { list: [1, { x: '}' }] } },
    ];
    const text = `[${elements.map((element) => JSON.stringify(element)).join(',\r\n')}]`;
    for (const run of inPieces(text, (pieces) => {
      const found: unknown[] = [];
      const decoder = new JsonArrayDecoder(
        (element) => found.push(JSON.parse(element)),
        () => undefined,
        10_000,
      );
      for (const piece of pieces) decoder.push(piece);
      decoder.end();
      return found;
    })) {
      expect(run).toEqual(elements);
    }
  });

  test('an oversized element is skipped and reported', () => {
    const found: string[] = [];
    let oversized = 0;
    const decoder = new JsonArrayDecoder(
      (element) => found.push(element),
      () => oversized++,
      50,
    );
    decoder.push(`[{"big":"${'y'.repeat(100)}"},`);
    decoder.push('{"small":1}]');
    expect(oversized).toBe(1);
    expect(found).toEqual(['{"small":1}']);
  });
});

describe('BoundedBody', () => {
  test('parses a body within the bound', () => {
    const body = new BoundedBody(100);
    body.push('{"id":');
    body.push('"x"}');
    expect(body.finish()).toEqual({ json: { id: 'x' } });
  });

  test('past the bound keeps head and tail only and salvages the fields the adapter names', () => {
    const body = new BoundedBody(1000, openAiChatAdapter.salvage);
    body.push('{"id":"chatcmpl-1","model":"gpt-4o-mini","choices":[{"message":{"content":"');
    for (let i = 0; i < 100; i++) body.push('z'.repeat(10_000));
    body.push('"},"finish_reason":"length"}],"usage":{"prompt_tokens":10,"completion_tokens":1000000}}');
    expect(body.truncated).toBe(true);
    expect(body.finish()).toEqual({
      json: { id: 'chatcmpl-1', model: 'gpt-4o-mini', usage: { prompt_tokens: 10, completion_tokens: 1000000 }, finish_reason: 'length' },
    });
  });

  test('salvages only the fields it is given: provider knowledge stays in the adapters', () => {
    const body = new BoundedBody(10, { trailingNumbers: ['eval_count'] });
    body.push('{"model":"llama3","eval_count":12,"done_reason":"stop"}');
    expect(body.finish()).toEqual({ json: { eval_count: 12 } });
    const none = new BoundedBody(10);
    none.push('{"id":"x","usage":{"prompt_tokens":1}}');
    expect(none.finish()).toEqual({ json: {} });
  });

  test('reports a body that is not JSON', () => {
    const body = new BoundedBody(100);
    body.push('<html>bad gateway</html>');
    const result = body.finish();
    expect('error' in result && result.error).toMatch(/not JSON/);
  });
});
