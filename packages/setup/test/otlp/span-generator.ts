import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * Seeded ReadableSpans for the serializer's differential test: every field upstream's serializer
 * reads, with the edge values of each (empty, absent, boundary lengths for the varint prefixes,
 * non-ASCII, lone surrogates, int64 limits, NaN, nested and odd attribute values, bad hex ids).
 */
export function spanGenerator(seed: number) {
  let state = seed >>> 0;
  /** mulberry32 */
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(random() * below);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)];
  const chance = (p: number): boolean => random() < p;

  const string = (): string => {
    const kind = int(10);
    if (kind < 6) return pick(STRINGS);
    // lengths around every prefix-size boundary, in ASCII and in mixed text
    const length = Math.max(0, pick(LENGTHS) + int(3) - 1);
    const alphabet = pick(ALPHABETS);
    let chunk = '';
    while (chunk.length < Math.min(length, 64)) chunk += alphabet[int(alphabet.length)];
    return chunk.repeat(Math.ceil(length / Math.max(1, chunk.length))).slice(0, length);
  };
  const hex = (digits: number): string => {
    if (chance(0.05)) return pick(ODD_HEX);
    let text = '';
    for (let i = 0; i < digits; i++) text += '0123456789abcdef'[int(16)];
    return chance(0.05) ? text.toUpperCase() : text;
  };
  const hrTime = (): HrTime => (chance(0.2) ? pick(TIMES) : [1_700_000_000 + int(100_000_000), int(1_000_000_000)]);

  const value = (depth: number): unknown => {
    switch (int(depth > 2 ? 5 : 8)) {
      case 0:
        return string();
      case 1:
        return chance(0.5);
      case 2:
        return pick(NUMBERS);
      case 3:
        return chance(0.5) ? int(100_000) : random() * 1e6;
      case 4:
        return pick(ODD_VALUES);
      case 5:
        return Array.from({ length: int(5) }, () => value(depth + 1));
      case 6:
        return attributes(depth + 1, 4);
      default:
        return chance(0.5) ? Uint8Array.from({ length: int(300) }, () => int(256)) : Buffer.from(string());
    }
  };
  const attributes = (depth: number, most: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const count = int(most + 1);
    for (let i = 0; i < count; i++) out[chance(0.8) ? `attr.${int(40)}` : string()] = value(depth);
    return out;
  };
  const traceState = (): TraceState | undefined =>
    chance(0.7) ? undefined : new TraceState(pick(['', 'vendor=value', 'a=1,b=2,congo=t61rcWkgMzE', `k${int(9)}=${'x'.repeat(int(200))}`]));
  const context = (): SpanContext => ({
    traceId: hex(32),
    spanId: hex(16),
    traceFlags: pick([0, 1, 0xff, 0x1ff, 3]),
    isRemote: chance(0.3) ? chance(0.5) : undefined,
    traceState: traceState(),
  });
  const event = (): TimedEvent => ({
    name: string(),
    time: hrTime(),
    attributes: chance(0.8) ? (attributes(0, 6) as TimedEvent['attributes']) : undefined,
    droppedAttributesCount: chance(0.5) ? undefined : pick([0, 1, 200, 70_000]),
  });
  const link = (): Link => ({
    context: context(),
    attributes: chance(0.7) ? (attributes(0, 4) as Link['attributes']) : undefined,
    droppedAttributesCount: chance(0.5) ? undefined : pick([0, 3, 1000]),
  });

  const resources = [
    resourceFromAttributes({ 'service.name': 'svc', 'service.version': '1.2.3', 'host.name': 'höst-ñ', 'process.pid': 4242 }),
    resourceFromAttributes({}),
    { attributes: { 'service.name': 'with schema', nested: { a: [1, 'b'] } }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    { attributes: undefined, schemaUrl: '' },
  ];
  const scopes = [
    { name: '@llm-otel/instrumentation', version: '0.1.0' },
    { name: 'plain' },
    { name: 'with-everything', version: '2', schemaUrl: 'https://example.com/schema', attributes: { 'scope.attr': 'v', n: 3 }, droppedAttributesCount: 2 },
    { name: '', version: '', schemaUrl: '', attributes: {}, droppedAttributesCount: 0 },
    { name: 'ünïcode 😀', version: '\ud800' },
  ];

  const span = (): ReadableSpan => {
    const own = context();
    const parent = chance(0.6) ? { ...context(), spanId: chance(0.1) ? '' : hex(16) } : undefined;
    const name = string();
    return {
      name,
      kind: pick([undefined, 0, 1, 2, 3, 4]) as ReadableSpan['kind'],
      spanContext: () => own,
      parentSpanContext: parent,
      startTime: hrTime(),
      endTime: hrTime(),
      status: { code: pick([0, 1, 2]), message: chance(0.5) ? undefined : string() },
      attributes: chance(0.95) ? (attributes(0, 25) as ReadableSpan['attributes']) : (undefined as unknown as ReadableSpan['attributes']),
      links: Array.from({ length: chance(0.7) ? 0 : int(4) }, link),
      events: Array.from({ length: chance(0.5) ? 0 : int(5) }, event),
      duration: [0, 0],
      ended: true,
      resource: pick(resources) as ReadableSpan['resource'],
      instrumentationScope: pick(scopes),
      droppedAttributesCount: pick([0, 0, 0, 1, 128, 2 ** 31, 2 ** 32 + 5]),
      droppedEventsCount: pick([0, 0, 7, 300]),
      droppedLinksCount: pick([0, 0, 1, 16_384]),
    };
  };
  /** One export request's spans: resources and scopes shared by identity, as the SDK's are. */
  const batch = (): ReadableSpan[] => Array.from({ length: 1 + int(chance(0.9) ? 8 : 60) }, span);
  return { span, batch };
}

// Each prefix-size boundary of a varint length: 127/128 bytes, 16383/16384, and the short-string
// cut-offs of the writer (31/32 UTF-16 units, 42/43 where 3 bytes a unit passes 127).
const LENGTHS = [0, 1, 31, 32, 33, 42, 43, 44, 127, 128, 129, 2000, 5462, 16_383, 16_384, 70_000];

const ALPHABETS = [
  'abcdefghijklmnopqrstuvwxyz {}"[]:,0123456789',
  'aé€😀',
  'ümlaut ß ü ö',
  '\u00ff\u0100\u07ff\u0800\uffff',
  'x\ud800y\udc00z', // lone surrogates of either half
  '日本語のテキスト',
];

const STRINGS = [
  '',
  'chat gpt-4o-mini',
  'gen_ai.request.model',
  'héllo wörld',
  '😀',
  '😀😀😀 emoji pairs',
  '\ud83d', // a lone high surrogate
  '\ude00', // a lone low surrogate
  'ends with a high surrogate \ud83d',
  '\ude00 starts with a low one',
  '\u0000 NUL inside \u0000',
  '\u007f\u0080 the ASCII edge',
  'line\nbreaks\tand\rcontrols',
  JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hi, my card is 4111 1111 1111 1111' }] }]),
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  127,
  128,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  -(2 ** 53),
  2 ** 62,
  2 ** 63, // out of int64: a double
  2 ** 63 - 1024, // the largest double below it: an int64
  -(2 ** 63),
  -(2 ** 63) + 1024,
  -(2 ** 64),
  0.5,
  -2.25,
  1e300,
  Number.MIN_VALUE,
  Number.NaN,
  new Float64Array(new BigUint64Array([0x7ff8_0000_dead_beefn]).buffer)[0], // a NaN with a payload
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  [],
  {},
  // biome-ignore lint/suspicious/noSparseArray: a hole is what the test is about
  [1, , 3],
  [undefined, null],
  new Uint8Array(0),
  new Int16Array([1, -2]),
  new Map([['a', 1]]),
  new Date(0),
  10n,
  Symbol('s'),
  () => 1,
  [[['deep']]],
  { a: { b: { c: 'd' } } },
  Object.assign(Object.create({ inherited: 'not own, not written' }), { own: 1 }),
  { b: 1, '10': 2, a: 3, '2': 4 }, // integer-like keys come first, in numeric order
];

const ODD_HEX = ['', 'abc', '0123456789ABCDEF0123456789abcdef', 'zz', 'g0'.repeat(8), '0123456789abcde', 'ÿ'.repeat(16)];

const TIMES: HrTime[] = [
  [0, 0],
  [0, 999_999_999],
  [1, 0],
  [65_535, 999_999_999],
  [65_536, 1],
  [4_294_967_295, 999_999_999],
  [18_446_744_073, 709_551_615],
  [1_700_000_000, 123_456_789],
];
