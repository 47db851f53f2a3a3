import { createHash, createHmac, type KeyObject } from 'node:crypto';
import { ATTR_CHAIN_DIGESTS, ATTR_CHAIN_MAC, CHAIN_VERSION } from './chain-attributes';
import type { RecordAttributes, RecordValue, SpanRecord } from './span-record';

/*
 * The canonical encoding `llm-otel-chain/1`, exactly as docs/integrity-chain.md specifies it. Any change
 * to what this file produces is a new version: records signed under /1 must keep verifying.
 */

/** The sections, in MAC order; the verifier names the ones whose digest changed. */
export const SECTIONS = ['span', 'attributes', 'events', 'links', 'resource', 'scope'] as const;
export type Section = (typeof SECTIONS)[number];

/**
 * Attribute keys left out of the attributes section in every format: the MAC and the digests (they are
 * the result), and the tags Jaeger 1.x synthesises from span fields, so that a user attribute of the same
 * name cannot make an OTLP record and its Jaeger copy disagree.
 */
export const EXCLUDED_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  ATTR_CHAIN_MAC,
  ATTR_CHAIN_DIGESTS,
  'span.kind',
  'error',
  'otel.status_code',
  'otel.status_description',
  'otel.scope.name',
  'otel.scope.version',
  'otel.library.name',
  'otel.library.version',
  'w3c.tracestate',
  'otel.dropped_attributes_count',
  'otel.dropped_events_count',
  'otel.dropped_links_count',
  'internal.span.format',
]);

/** ECMAScript Number::toString of the IEEE-754 double, with −0 as 0: survives int/double loss. */
export function canonicalNumber(value: number): string {
  if (value === 0) return '0';
  return String(value);
}

type Encoded = string | Encoded[];

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/**
 * Jaeger 1.x stores an array attribute as the JSON text of the array, in a string tag. So a string that
 * is the JSON text of an array of primitives is encoded as that array, in every format: both copies
 * agree, and the (documented) price is that such a string and the array are the same record.
 */
function jsonArrayOfPrimitives(text: string): unknown[] | undefined {
  if (text.length < 2 || text.charCodeAt(0) !== 0x5b /* [ */) return undefined;
  const second = text.slice(1).trimStart().charCodeAt(0);
  if (second === 0x7b /* { */ || second === 0x5b /* [ */) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every(isPrimitive) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function encodeValue(value: RecordValue | undefined): Encoded {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'string': {
      const array = jsonArrayOfPrimitives(value);
      return array ? array.map((item) => encodeValue(item as RecordValue)) : `s${value}`;
    }
    case 'number':
      return `n${canonicalNumber(value)}`;
    case 'boolean':
      return value ? 'btrue' : 'bfalse';
    default:
      if (Array.isArray(value)) return value.map(encodeValue);
      return ['m', ...encodeAttributes(Object.entries(value), false)];
  }
}

/** [key, encoded value] pairs sorted by key (UTF-16 code units), ties by the encoded value's JSON text. */
function encodeAttributes(attributes: RecordAttributes, excludeReserved: boolean): Encoded[] {
  const pairs: [string, Encoded][] = [];
  for (const [key, value] of attributes) {
    if (value === null || value === undefined) continue;
    if (excludeReserved && EXCLUDED_ATTRIBUTE_KEYS.has(key)) continue;
    pairs.push([key, encodeValue(value)]);
  }
  pairs.sort((a, b) => {
    if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
    const left = JSON.stringify(a[1]);
    const right = JSON.stringify(b[1]);
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return pairs;
}

const KIND_NAMES = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

/** Each section's canonical JSON text, in SECTIONS order. */
export function canonicalSections(record: SpanRecord): string[] {
  const statusCode = record.status.code === 1 || record.status.code === 2 ? record.status.code : 0;
  const span: Encoded = [
    record.traceId.toLowerCase(),
    record.spanId.toLowerCase(),
    record.parentSpanId.toLowerCase(),
    record.name,
    KIND_NAMES[record.kind] ?? 'internal',
    record.startMicros.toString(),
    record.durationMicros.toString(),
    String(statusCode),
    statusCode === 2 ? record.status.message : '',
  ];
  const events = record.events
    .map((event) => JSON.stringify([event.timeMicros.toString(), event.name, encodeAttributes(event.attributes, false)]))
    .sort();
  const links = record.links.map((link) => JSON.stringify([link.traceId.toLowerCase(), link.spanId.toLowerCase()])).sort();
  return [
    JSON.stringify(span),
    JSON.stringify(encodeAttributes(record.attributes, true)),
    `[${events.join(',')}]`,
    `[${links.join(',')}]`,
    JSON.stringify(encodeAttributes(record.resource, false)),
    JSON.stringify([record.scope.name, record.scope.version]),
  ];
}

const VERSION_LINE = Buffer.from(`${CHAIN_VERSION}\n`, 'utf8');
const SHORT_DIGEST_BYTES = 6;

export interface SpanMac {
  /** base64url, no padding. */
  mac: string;
  /** The first bytes of each section's SHA-256, base64url, joined with '.', in SECTIONS order. */
  digests: string;
}

/** MAC = HMAC-SHA256(key, "llm-otel-chain/1\n" ‖ SHA-256(section₁) ‖ … ‖ SHA-256(section₆)). */
export function macRecord(key: KeyObject | Buffer, record: SpanRecord): SpanMac {
  const hmac = createHmac('sha256', key).update(VERSION_LINE);
  const short: string[] = [];
  for (const text of canonicalSections(record)) {
    const digest = createHash('sha256').update(text, 'utf8').digest();
    hmac.update(digest);
    short.push(digest.subarray(0, SHORT_DIGEST_BYTES).toString('base64url'));
  }
  return { mac: hmac.digest('base64url'), digests: short.join('.') };
}

/** Names the sections whose short digests differ; undefined when `stored` cannot be read. */
export function changedSections(stored: unknown, computed: string): Section[] | undefined {
  if (typeof stored !== 'string') return undefined;
  const before = stored.split('.');
  const after = computed.split('.');
  if (before.length !== SECTIONS.length) return undefined;
  return SECTIONS.filter((_, index) => before[index] !== after[index]);
}
