import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalNumber, canonicalText, encodeValue, EXCLUDED_ATTRIBUTE_KEYS, macRecord } from '../src/canonical';
import type { SpanRecord } from '../src/span-record';

/** The test vector of docs/integrity-chain.md: a reimplementation must produce exactly this text and MAC. */
const VECTOR: SpanRecord = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: '',
  name: 'chat gpt-4o-mini',
  kind: 3,
  startMicros: 1764590400123456n,
  durationMicros: 812345n,
  attributes: [
    ['gen_ai.usage.input_tokens', 12],
    ['gen_ai.request.temperature', 0.7],
    ['gen_ai.response.finish_reasons', ['stop']],
    ['gen_ai.request.stream', true],
    ['gen_ai.request.model', 'gpt-4o-mini'],
    ['llm_otel.chain.id', '5f2b1c0e9d8a7b6c5f4e3d2c1b0a9988'],
    ['llm_otel.chain.seq', 1],
    ['llm_otel.chain.mac', 'ignored'],
  ],
  events: [{ timeMicros: 1764590400200000n, name: 'gen_ai.choice', attributes: [['index', 0]] }],
  links: [],
  status: { code: 2, message: 'rate limited' },
  resource: [['service.name', 'support-bot']],
  scope: { name: '@llm-otel/instrumentation', version: '0.1.0' },
};
const VECTOR_KEY = Buffer.from('an-audit-key-of-at-least-32-bytes-0123456789');

describe('canonical encoding llm-otel-chain/1', () => {
  it('pins the documented test vector (a change here is a new chain version)', () => {
    expect(canonicalText(VECTOR).text).toBe(
      'llm-otel-chain/1\n' +
        '["0af7651916cd43dd8448eb211c80319c","b7ad6b7169203331","","chat gpt-4o-mini","client","1764590400123456","812345","2","rate limited"]\n' +
        '[["gen_ai.request.model","gpt-4o-mini"],["gen_ai.request.stream",["b","true"]],["gen_ai.request.temperature",["n","0.7"]],' +
        '["gen_ai.response.finish_reasons",["a","stop"]],["gen_ai.usage.input_tokens",["n","12"]],' +
        '["llm_otel.chain.id","5f2b1c0e9d8a7b6c5f4e3d2c1b0a9988"],["llm_otel.chain.seq",["n","1"]]]\n' +
        '[["1764590400200000","gen_ai.choice",[["index",["n","0"]]]]]\n' +
        '[]\n' +
        '[["service.name","support-bot"]]\n' +
        '["@llm-otel/instrumentation","0.1.0"]\n',
    );
    expect(macRecord(VECTOR_KEY, VECTOR)).toEqual({
      mac: 'L3AiIUAc-9xVhZxCXvGonr7q5k9QA-nAfrE9e6OfDY8',
      digests: 'cfd02c5f.cd4f76ce.c7973d82.0d4cbb29.c1da8e11.8de8832b',
    });
  });

  it('is independent of attribute order, and of an array arriving as its JSON text (Jaeger 1.x)', () => {
    const reordered = { ...VECTOR, attributes: [...VECTOR.attributes].reverse() };
    const asText = {
      ...VECTOR,
      attributes: VECTOR.attributes.map(([key, value]) => [key, Array.isArray(value) ? JSON.stringify(value) : value] as [string, typeof value]),
    };
    expect(canonicalText(reordered).text).toBe(canonicalText(VECTOR).text);
    expect(canonicalText(asText).text).toBe(canonicalText(VECTOR).text);
  });

  it('a remembered order (same keys, same order) gives what filtering and sorting give, for 200 random key lists', () => {
    let state = 0x2545f491;
    const random = (below: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % below;
    };
    // Reserved keys (left out of the attributes section) and missing values are among them.
    const names = ['a', 'b', 'B', 'gen_ai.x', 'gen_ai.x.y', 'z', 'é', 'llm_otel.chain.seq', 'span.kind', 'error', '_', '0'];
    for (let round = 0; round < 200; round += 1) {
      const keys = [...new Set(Array.from({ length: 1 + random(names.length) }, () => names[random(names.length)]))];
      // The same key list three times with different values: the 2nd and 3rd reuse the 1st's order.
      for (let copy = 0; copy < 3; copy += 1) {
        const attributes: SpanRecord['attributes'] = keys.map((key) => [key, random(8) === 0 ? null : random(3) === 0 ? random(100) : `v${random(100)}`]);
        // The reference filters and sorts on its own (not through the encoding's remembered orders).
        const kept = attributes.filter(([key, value]) => value !== null && !EXCLUDED_ATTRIBUTE_KEYS.has(key));
        const sorted = kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        const expected = JSON.stringify(sorted.map(([key, value]) => [key, encodeValue(value)]));
        expect(canonicalText({ ...VECTOR, attributes }).sections[1]).toBe(expected);
      }
    }
  });

  it('a key list with a repeated key is ordered by the values too, never by a remembered order', () => {
    const first: SpanRecord['attributes'] = [
      ['a', 1],
      ['b', 2],
      ['a', 0],
    ];
    const second: SpanRecord['attributes'] = [
      ['a', 0],
      ['b', 2],
      ['a', 1],
    ];
    expect(canonicalText({ ...VECTOR, attributes: first }).sections[1]).toBe('[["a",["n","0"]],["a",["n","1"]],["b",["n","2"]]]');
    expect(canonicalText({ ...VECTOR, attributes: second }).sections[1]).toBe('[["a",["n","0"]],["a",["n","1"]],["b",["n","2"]]]');
  });

  it('keeps a string apart from a number, and a message-content string apart from an array', () => {
    const withString = { ...VECTOR, attributes: [['gen_ai.usage.input_tokens', '12']] as SpanRecord['attributes'] };
    const withNumber = { ...VECTOR, attributes: [['gen_ai.usage.input_tokens', 12]] as SpanRecord['attributes'] };
    expect(canonicalText(withString).text).not.toBe(canonicalText(withNumber).text);
    const content = JSON.stringify([{ role: 'user', parts: [] }]);
    expect(canonicalText({ ...VECTOR, attributes: [['m', content]] }).text).toContain(JSON.stringify(content));
  });

  it('numbers survive the int/double loss: 3 and 3.0 are one form, -0 is 0', () => {
    expect(canonicalNumber(3)).toBe(canonicalNumber(3.0));
    expect(canonicalNumber(-0)).toBe('0');
    expect(canonicalNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(canonicalNumber(1e21)).toBe('1e+21');
    expect(canonicalNumber(Number('9007199254740993'))).toBe('9007199254740992');
  });

  it('an unspecified kind and INTERNAL are the same (Jaeger writes no tag for either); a status message counts only with ERROR', () => {
    expect(canonicalText({ ...VECTOR, kind: 0 }).text).toBe(canonicalText({ ...VECTOR, kind: 1 }).text);
    const ok = { ...VECTOR, status: { code: 1, message: 'fine' } };
    expect(canonicalText(ok).text).toBe(canonicalText({ ...ok, status: { code: 1, message: '' } }).text);
  });

  it('tags Jaeger synthesises from span fields are left out in every format', () => {
    const withTags = {
      ...VECTOR,
      attributes: [
        ...VECTOR.attributes,
        ['span.kind', 'client'],
        ['otel.status_code', 'ERROR'],
        ['error', true],
        ['internal.span.format', 'otlp'],
      ] as SpanRecord['attributes'],
    };
    expect(canonicalText(withTags).text).toBe(canonicalText(VECTOR).text);
  });
});

describe('long strings', () => {
  const withValue = (value: string) => canonicalText({ ...VECTOR, attributes: [['gen_ai.input.messages', value]] }).text;

  it('from 256 UTF-8 bytes on, a string is encoded by its SHA-256 (base64url), below it as itself', () => {
    const long = 'x'.repeat(256);
    expect(withValue(long)).toContain(`["gen_ai.input.messages",["h","${createHash('sha256').update(long).digest('base64url')}"]]`);
    expect(withValue('x'.repeat(255))).toContain(`["gen_ai.input.messages","${'x'.repeat(255)}"]`);
  });

  it('counts UTF-8 bytes, not characters: 128 two-byte characters are long', () => {
    expect(withValue('é'.repeat(128))).toContain('["h",');
    expect(withValue(`${'é'.repeat(127)}ee`)).toContain('["h",');
    expect(withValue(`${'é'.repeat(127)}e`)).not.toContain('["h",');
  });

  it('a changed character in long content still changes the text (and so the MAC)', () => {
    const content = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'a'.repeat(2000) }] }]);
    expect(withValue(content)).not.toBe(withValue(content.replace('aaa', 'aab')));
  });
});
