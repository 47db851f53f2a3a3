import { createHash, createHmac } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { encodedText, encodeValue, EXCLUDED_ATTRIBUTE_KEYS, SECTIONS } from '../src/canonical';
import { ChainNoteSpan } from '../src/derived-spans';
import { IntegrityChain, recordFromReadableSpan, type RecordValue, type SpanRecord } from '../src';
import { KEY } from './chain-fixture';

/*
 * The signer encodes the exported attribute object straight into the canonical text (key plans, values
 * written without an intermediate [key, value] list, one flat HMAC input): these tests hold it to a
 * reference written from docs/integrity-chain.md alone, with no code shared with src/canonical.ts but
 * encodeValue, so that a fast path that drifts from llm-otel-chain/1 fails here.
 */

function seeded(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
}

const KEYS = [
  'a',
  'b',
  'B',
  'gen_ai.x',
  'gen_ai.x.y',
  'z',
  'é',
  '"q"',
  'back\\slash',
  'tab\tkey',
  'llm_otel.chain.seq',
  'llm_otel.chain.mac',
  'span.kind',
  'error',
  '_',
  '0',
  '17',
  'ключ',
  '🔑',
];

function randomValue(random: (below: number) => number): unknown {
  switch (random(12)) {
    case 0:
      return random(1000) - 500;
    case 1:
      return [0.7, -0, 1e21, 1.5e-7, Number.NaN, 2 ** 53 + 1][random(6)];
    case 2:
      return random(2) === 0;
    case 3:
      return ['stop', 'length'].slice(0, 1 + random(2));
    case 4:
      return [1, null, 'x', undefined, true].slice(0, 1 + random(5));
    case 5:
      return JSON.stringify(['a', 1, true]); // an array's JSON text (Jaeger 1.x)
    case 6:
      return JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'é'.repeat(random(300)) }] }]);
    case 7:
      return 'x'.repeat(80 + random(200)); // around the 256-byte hashing threshold
    case 8:
      return `quote " backslash \\ newline \n control \u0001 lone surrogate \ud800 ${random(100)}`;
    case 9:
      return '';
    case 10:
      return '[not json';
    default:
      return `v${random(100)}`;
  }
}

/** The canonical text of a record, from the specification: every section by JSON.stringify of its array. */
function referenceText(record: SpanRecord): { text: string; sections: string[] } {
  const pairs = (list: [string, RecordValue][], excludeReserved: boolean) =>
    list
      .filter(([key, value]) => value !== null && value !== undefined && !(excludeReserved && EXCLUDED_ATTRIBUTE_KEYS.has(key)))
      .map(([key, value]) => [key, encodeValue(value)] as const)
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : JSON.stringify(x[1]) < JSON.stringify(y[1]) ? -1 : 1));
  const status = record.status.code === 1 || record.status.code === 2 ? record.status.code : 0;
  const sections = [
    JSON.stringify([
      record.traceId,
      record.spanId,
      record.parentSpanId,
      record.name,
      ['internal', 'internal', 'server', 'client', 'producer', 'consumer'][record.kind] ?? 'internal',
      String(record.startMicros),
      String(record.durationMicros),
      String(status),
      status === 2 ? record.status.message : '',
    ]),
    JSON.stringify(pairs(record.attributes, true)),
    `[${record.events
      .map((event) => JSON.stringify([String(event.timeMicros), event.name, pairs(event.attributes, false)]))
      .sort()
      .join(',')}]`,
    `[${record.links
      .map((link) => JSON.stringify([link.traceId, link.spanId]))
      .sort()
      .join(',')}]`,
    JSON.stringify(pairs(record.resource, false)),
    JSON.stringify([record.scope.name, record.scope.version]),
  ];
  return { text: `llm-otel-chain/1\n${sections.join('\n')}\n`, sections };
}

function crc32Hex(text: string): string {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}

function spanWith(attributes: Record<string, unknown>, events: Record<string, unknown>[] = []): ChainNoteSpan {
  const span = new ChainNoteSpan(
    'chat "quoted" name',
    attributes as ChainNoteSpan['attributes'],
    { attributes: { 'service.name': 'svc' } } as unknown as ChainNoteSpan['resource'],
  );
  for (const [index, eventAttributes] of events.entries())
    span.events.push({ name: `event ${index}`, time: [1_764_590_400 + index, 123_456_789], attributes: eventAttributes as ChainNoteSpan['attributes'] });
  return span;
}

/** The signed span exports Object.assign({}, attributes, its chain attributes), in that order, and MACs it. */
function expectExportedAsAssigned(chain: IntegrityChain, attributes: Record<string, unknown>): void {
  const [signed] = chain.sign([spanWith(attributes)]);
  const chainOwn = Object.fromEntries(Object.entries(signed.attributes).filter(([key]) => key.startsWith('llm_otel.chain.')));
  const expected = Object.assign({}, attributes, chainOwn);
  expect(Object.keys(signed.attributes)).toEqual(Object.keys(expected));
  expect(signed.attributes).toEqual(expected);
  const reference = referenceText(recordFromReadableSpan(signed));
  expect(signed.attributes['llm_otel.chain.mac']).toBe(createHmac('sha256', Buffer.from(KEY, 'utf8')).update(reference.text, 'utf8').digest('base64url'));
}

describe('the signer’s direct path', () => {
  it('encodedText is the JSON text of encodeValue, for every kind of value', () => {
    const random = seeded(0x1234567);
    for (let round = 0; round < 2000; round += 1) {
      const value = randomValue(random) as RecordValue;
      expect(encodedText(value)).toBe(JSON.stringify(encodeValue(value)));
    }
  });

  it('MACs and digests equal the specification’s, for 300 random attribute objects, each signed three times', () => {
    const random = seeded(0x2545f491);
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    for (let round = 0; round < 100; round += 1) {
      const keys = [...new Set(Array.from({ length: 1 + random(KEYS.length) }, () => KEYS[random(KEYS.length)]))];
      // The same key list three times (the 2nd and 3rd through the remembered plan), values changing.
      for (let copy = 0; copy < 3; copy += 1) {
        const attributes: Record<string, unknown> = {};
        for (const key of keys) attributes[key] = random(10) === 0 ? undefined : randomValue(random);
        const eventAttributes = random(2) === 0 ? [{ index: random(3) }] : [];
        const [signed] = chain.sign([spanWith(attributes, eventAttributes)]);
        const exported = signed.attributes;
        // What is exported is what is MACed: the record read back from the exported span.
        const reference = referenceText(recordFromReadableSpan(signed));
        const mac = createHmac('sha256', Buffer.from(KEY, 'utf8')).update(reference.text, 'utf8').digest('base64url');
        expect(exported['llm_otel.chain.mac']).toBe(mac);
        expect(exported['llm_otel.chain.digests']).toBe(reference.sections.map(crc32Hex).join('.'));
        expect(reference.sections).toHaveLength(SECTIONS.length);
      }
    }
  });

  it('a value repeated from the span before is encoded as it would be anew: equal strings, -0 and 0, NaN, an array changed in place', () => {
    // The signer reuses the text of a primitive value equal to the one at the same place in the span
    // before (same key list); these spans repeat values half the time, as real traffic does.
    const random = seeded(0x5eed);
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    const shared = ['stop'];
    const keys = ['gen_ai.a', 'gen_ai.b', 'gen_ai.c', 'gen_ai.d', 'gen_ai.e', 'gen_ai.f'];
    let previous: Record<string, unknown> = {};
    for (let round = 0; round < 400; round += 1) {
      const attributes: Record<string, unknown> = {};
      for (const key of keys) {
        const choice = random(8);
        if (choice < 3 && previous[key] !== undefined) attributes[key] = previous[key];
        else if (choice === 3) attributes[key] = [0, -0, Number.NaN, 0.1 + 0.2][random(4)];
        // The same long content as a new string object each time: equal by value, not by identity.
        else if (choice === 4) attributes[key] = ['é', 'ab'][random(2)].repeat(200).slice(0);
        else if (choice === 5) {
          shared[0] = ['stop', 'length', 'tool_calls'][random(3)];
          attributes[key] = shared;
        } else attributes[key] = randomValue(random) ?? 'x';
      }
      previous = attributes;
      const [signed] = chain.sign([spanWith(attributes)]);
      const reference = referenceText(recordFromReadableSpan(signed));
      expect(signed.attributes['llm_otel.chain.mac']).toBe(createHmac('sha256', Buffer.from(KEY, 'utf8')).update(reference.text, 'utf8').digest('base64url'));
      expect(signed.attributes['llm_otel.chain.digests']).toBe(reference.sections.map(crc32Hex).join('.'));
    }
  });

  it('a section that usually repeats (links, resource, scope) is checksummed by its own text when it changes', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    for (let round = 0; round < 150; round += 1) {
      const span = spanWith({ a: round % 3 });
      // 150 resources: more than the remembered checksums hold, so the memo is emptied and refilled.
      Object.defineProperty(span, 'resource', { value: { attributes: { 'service.name': `svc-${round % 100}` } } });
      if (round % 2 === 0) span.links.push({ context: { traceId: 'a'.repeat(32), spanId: `${round % 10}`.repeat(16), traceFlags: 1 } });
      const [signed] = chain.sign([span]);
      const reference = referenceText(recordFromReadableSpan(signed));
      expect(signed.attributes['llm_otel.chain.digests']).toBe(reference.sections.map(crc32Hex).join('.'));
      expect(signed.attributes['llm_otel.chain.mac']).toBe(createHmac('sha256', Buffer.from(KEY, 'utf8')).update(reference.text, 'utf8').digest('base64url'));
    }
  });

  it('exports exactly Object.assign({}, attributes, chain attributes): order, replaced names, an own __proto__', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    const own = JSON.parse('{"a": 1, "__proto__": "x", "llm_otel.chain.seq": 999, "b": "two"}') as Record<string, unknown>;
    for (const attributes of [own, { z: 1, 'llm_otel.chain.id': 'spoof', a: [1, 2] }, {}]) expectExportedAsAssigned(chain, attributes);
  });

  it('exports Object.assign({}, attributes, chain attributes) for 40 key lists in turn (more than the remembered layouts), values changing kind', () => {
    const random = seeded(0x7e3a);
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    const lists = Array.from({ length: 40 }, () => [...new Set(Array.from({ length: 1 + random(KEYS.length) }, () => KEYS[random(KEYS.length)]))]);
    for (let round = 0; round < 400; round += 1) {
      const attributes: Record<string, unknown> = {};
      for (const key of lists[random(lists.length)]) attributes[key] = randomValue(random) ?? 'x';
      expectExportedAsAssigned(chain, attributes);
    }
  });

  it('an attribute getter that answers differently on each read: what is exported is what is MACed', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    let reads = 0;
    const attributes = { a: 1 } as Record<string, unknown>;
    Object.defineProperty(attributes, 'b', { enumerable: true, get: () => `read ${++reads}` });
    Object.defineProperty(attributes, Symbol('hidden'), { enumerable: true, value: 'not an attribute' });
    const [signed] = chain.sign([spanWith(attributes)]);
    const reference = referenceText(recordFromReadableSpan(signed));
    expect(signed.attributes.b).toMatch(/^read \d+$/);
    expect(signed.attributes['llm_otel.chain.mac']).toBe(createHmac('sha256', Buffer.from(KEY, 'utf8')).update(reference.text, 'utf8').digest('base64url'));
  });

  it('the running digest of a checkpoint is SHA-256 over the previous digest and each MAC', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: 'test-1', chainId: 'c'.repeat(32) });
    const signed = chain.sign([spanWith({ a: 1 }), spanWith({ b: 2 }), spanWith({ c: 3 })]);
    const [checkpoint] = chain.sign([chain.checkpointSpan('final')]);
    let digest = Buffer.alloc(32);
    for (const span of signed)
      digest = createHash('sha256')
        .update(digest)
        .update(Buffer.from(String(span.attributes['llm_otel.chain.mac']), 'base64url'))
        .digest();
    expect(checkpoint.attributes['llm_otel.chain.checkpoint.digest']).toBe(digest.toString('base64url'));
    expect(checkpoint.kind).toBe(SpanKind.INTERNAL);
  });
});
