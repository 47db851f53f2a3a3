import { describe, expect, test } from 'vitest';
import { injectIntoMeta } from '../../src/mcp/meta-injection';
import { readClientMessage } from '../../src/mcp/json-rpc-message';
import { looksLikeMcpPost } from '../../src/mcp/mcp-request';

const FIELDS = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'a=b' };

/** Deterministic pseudo-random numbers (mulberry32), so a failure is reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JSON text of `value` with random whitespace between tokens. */
function spaced(value: unknown, next: () => number): string {
  const ws = () => [' ', '\n', '\t', '', '', '  '][Math.floor(next() * 6)];
  if (Array.isArray(value)) return `[${ws()}${value.map((item) => spaced(item, next)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value && typeof value === 'object') {
    const members = Object.entries(value).map(([key, item]) => `${ws()}${JSON.stringify(key)}${ws()}:${ws()}${spaced(item, next)}${ws()}`);
    return `{${members.join(',')}${members.length === 0 ? ws() : ''}}`;
  }
  return JSON.stringify(value);
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 4 : 6));
  if (pick === 0) return Math.floor(next() * 1e6) / 10;
  if (pick === 1) return ['', 'a"b', 'x\\y', '}{][', '_meta', 'é😀'][Math.floor(next() * 6)];
  if (pick === 2) return next() < 0.5 ? null : true;
  if (pick === 3) return [];
  if (pick === 4) return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--)
    object[['k', 'params', '_meta', 'traceparentx', 'a}'][Math.floor(next() * 5)] + i] = randomValue(next, depth + 1);
  return object;
}

describe('injectIntoMeta', () => {
  test('500 random messages: the result parses to the message with the fields in params._meta, and the rest of the text is unchanged', () => {
    const next = random(1182);
    for (let round = 0; round < 500; round++) {
      const message: Record<string, unknown> = { jsonrpc: '2.0', id: round, method: 'tools/call' };
      const shape = Math.floor(next() * 3);
      if (shape > 0) {
        const params = randomValue(next, 4) as unknown;
        message.params = typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {};
        if (shape === 2) (message.params as Record<string, unknown>)._meta = { progressToken: round, other: randomValue(next, 3) };
      }
      if (next() < 0.5) message.extra = randomValue(next, 1);
      const text = spaced(message, next);
      const result = injectIntoMeta(text, FIELDS);
      expect('text' in result, text).toBe(true);
      const injected = (result as { text: string }).text;
      const expected = structuredClone(message) as { params?: Record<string, unknown> };
      expected.params ??= {};
      expected.params._meta = { ...FIELDS, ...((expected.params._meta as object | undefined) ?? {}) };
      expect(JSON.parse(injected)).toEqual(expected);
      // One run of text inserted, nothing else changed.
      let prefix = 0;
      while (text[prefix] === injected[prefix]) prefix++;
      const inserted = injected.length - text.length;
      expect(injected.slice(0, prefix) + injected.slice(prefix + inserted)).toBe(text);
    }
  });

  test.each([
    ['a caller traceparent', '{"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":{"traceparent":"00-x"}}}', '_meta already carries trace context'],
    ['a caller tracestate alone', '{"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":{"tracestate":"a=b"}}}', '_meta already carries trace context'],
    ['an escaped duplicate key', '{"jsonrpc":"2.0","id":1,"method":"m","params":{},"p\\u0061rams":{}}', 'params appears twice'],
    ['_meta twice', '{"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":{},"_meta":{}}}', '_meta appears twice'],
    ['a null _meta', '{"jsonrpc":"2.0","id":1,"method":"m","params":{"_meta":null}}', '_meta is not an object'],
    ['params an array', '{"jsonrpc":"2.0","id":1,"method":"m","params":[1]}', 'params is not an object'],
    ['a top-level array', '[{"jsonrpc":"2.0"}]', 'the body is not a JSON object'],
  ])('leaves %s untouched', (_label, text, reason) => {
    expect(injectIntoMeta(text, FIELDS)).toEqual({ untouched: reason });
  });
});

describe('readClientMessage', () => {
  test.each([
    [
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 't' } },
      { kind: 'call', method: 'tools/call', id: '3', params: { name: 't' } },
    ],
    [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { kind: 'call', method: 'notifications/initialized', id: undefined, params: undefined },
    ],
    [
      { jsonrpc: '2.0', id: null, method: 'ping' },
      { kind: 'call', method: 'ping', id: undefined, params: undefined },
    ],
    [{ jsonrpc: '2.0', id: 1, result: {} }, { kind: 'response' }],
    [[{ jsonrpc: '2.0', id: 1, method: 'ping' }], { kind: 'batch' }],
    [
      { jsonrpc: '1.0', id: 1, method: 'ping' },
      { kind: 'invalid', reason: 'the request body has no "jsonrpc": "2.0"' },
    ],
    [
      { jsonrpc: '2.0', id: 1, method: 'x', params: 'y' },
      { kind: 'invalid', reason: 'the JSON-RPC params are not an object' },
    ],
    ['text', { kind: 'invalid', reason: 'the request body is not a JSON-RPC object' }],
  ])('%j', (body, expected) => {
    expect(readClientMessage(body)).toEqual(expected);
  });

  test('a method name from the wire is cut to 256 characters', () => {
    expect(readClientMessage({ jsonrpc: '2.0', id: 1, method: 'x'.repeat(10_000) })).toMatchObject({ method: 'x'.repeat(256) });
  });
});

describe('looksLikeMcpPost', () => {
  test.each([
    [{ accept: 'application/json, text/event-stream' }, true],
    [new Headers({ Accept: 'text/event-stream, application/json' }), true],
    [['mcp-protocol-version', '2025-06-18'], true],
    // Clients that send one media type only (Gemini CLI's HTTP transport, Anthropic's proxy) still say which protocol version.
    [{ accept: 'application/json', 'mcp-protocol-version': '2025-06-18' }, true],
    [{ accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' }, true],
    [{ accept: 'application/json' }, false],
    [{ accept: 'text/event-stream' }, false],
    [{ 'content-type': 'application/json' }, false],
    [undefined, false],
  ])('%j → %s', (headers, expected) => {
    expect(looksLikeMcpPost(headers)).toBe(expected);
  });
});
