import { createHmac, hash, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
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
  // The common case, message content ('[{"role":…'), is rejected without parsing.
  let index = 1;
  while (index < text.length && (text.charCodeAt(index) === 0x20 || text.charCodeAt(index) === 0x0a || text.charCodeAt(index) === 0x0d || text.charCodeAt(index) === 0x09)) index += 1;
  const next = text.charCodeAt(index);
  if (next === 0x7b /* { */ || next === 0x5b /* [ */) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every(isPrimitive) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Strings of at least this many UTF-8 bytes are encoded by their SHA-256 (see encodeValue). */
export const LONG_STRING_BYTES = 256;
// A UTF-16 unit is at most 3 UTF-8 bytes: shorter strings cannot qualify, so most skip the byte count.
const LONG_STRING_UNITS = Math.ceil(LONG_STRING_BYTES / 3);

/** A value's encoding: strings as themselves, everything else as an array tagged by its first element. */
export type Encoded = string | Encoded[];

/**
 * Strings stay strings (no prefix), those of 256 UTF-8 bytes or more become ["h", base64url SHA-256 of
 * their UTF-8 bytes]; numbers
 * ["n", canonical number], booleans ["b", "true"|"false"], no value ["z"], arrays ["a", …items],
 * maps ["m", [key, encoding]…] sorted by key. The tag keeps "3" apart from 3 and ["x"] apart from "x".
 */
export function encodeValue(value: RecordValue | undefined): Encoded {
  if (value === null || value === undefined) return ['z'];
  switch (typeof value) {
    case 'string': {
      const array = jsonArrayOfPrimitives(value);
      if (array) return ['a', ...array.map((item) => encodeValue(item as RecordValue))];
      // Long text (message content) by its SHA-256: JSON-escaping 2 KB of quoted JSON cost more than
      // hashing it (bench/audit), and the MAC over the digest covers the text as well.
      // (A string of 256 UTF-16 units is at least 256 UTF-8 bytes: only shorter ones need counting.)
      return value.length >= LONG_STRING_BYTES || (value.length >= LONG_STRING_UNITS && Buffer.byteLength(value, 'utf8') >= LONG_STRING_BYTES)
        ? ['h', hash('sha256', value, 'base64url')]
        : value;
    }
    case 'number':
      return ['n', canonicalNumber(value)];
    case 'boolean':
      return ['b', value ? 'true' : 'false'];
    default:
      if (Array.isArray(value)) return ['a', ...value.map(encodeValue)];
      return ['m', ...encodePairs(Object.entries(value), false)];
  }
}

function byKey(a: [string, Encoded], b: [string, Encoded]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  // The same key twice (possible in OTLP JSON): order by the encoding's text, so the order is total.
  const left = JSON.stringify(a[1]);
  const right = JSON.stringify(b[1]);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Orders already found, by the key list they sort. Spans of one instrumentation repeat the same keys in
 * the same order, and filtering and sorting ~33 pairs with the comparator cost ~2 µs per span
 * (bench/audit, audit-speed notes): a list with exactly the keys of a remembered one, in the same order,
 * and no value missing, takes its order (the indices of the pairs kept, sorted). Only lists without a
 * repeated key are remembered, so the order depends on the keys alone. Bounded: the oldest is replaced.
 */
interface KeyOrder {
  keys: string[];
  excludeReserved: boolean;
  order: number[];
}
const keyOrders: KeyOrder[] = [];
const MAX_KEY_ORDERS = 16;
let nextKeyOrder = 0;

function rememberedOrder(attributes: RecordAttributes, excludeReserved: boolean): number[] | undefined {
  search: for (const known of keyOrders) {
    if (known.keys.length !== attributes.length || known.excludeReserved !== excludeReserved) continue;
    for (let index = 0; index < attributes.length; index += 1) {
      const [key, value] = attributes[index];
      if (known.keys[index] !== key || value === null || value === undefined) continue search;
    }
    return known.order;
  }
  return undefined;
}

/** [key, encoding] pairs sorted by key (UTF-16 code units); attributes without a value are left out. */
function encodePairs(attributes: RecordAttributes, excludeReserved: boolean): [string, Encoded][] {
  const known = rememberedOrder(attributes, excludeReserved);
  if (known) return known.map((index) => [attributes[index][0], encodeValue(attributes[index][1])]);
  const pairs: [string, Encoded][] = [];
  const kept: number[] = [];
  let valueMissing = false;
  for (let index = 0; index < attributes.length; index += 1) {
    const [key, value] = attributes[index];
    if (value === null || value === undefined) {
      valueMissing = true;
      continue;
    }
    if (excludeReserved && EXCLUDED_ATTRIBUTE_KEYS.has(key)) continue;
    pairs.push([key, encodeValue(value)]);
    kept.push(index);
  }
  const order = pairs.map((_, index) => index).sort((a, b) => byKey(pairs[a], pairs[b]));
  let repeated = false;
  for (let index = 1; index < order.length; index += 1) if (pairs[order[index]][0] === pairs[order[index - 1]][0]) repeated = true;
  if (!repeated && !valueMissing && attributes.length > 1) {
    keyOrders[nextKeyOrder] = { keys: attributes.map((pair) => pair[0]), excludeReserved, order: order.map((index) => kept[index]) };
    nextKeyOrder = (nextKeyOrder + 1) % MAX_KEY_ORDERS;
  }
  return order.map((index) => pairs[index]);
}

/*
 * Every span of a process shares one resource, and readers share one attribute list per resource
 * group: its section text is computed once per list object. Lists are never modified after a record
 * is built (the records are read-only to the encoding).
 */
const resourceSections = new WeakMap<RecordAttributes, string>();

function resourceSection(resource: RecordAttributes): string {
  let text = resourceSections.get(resource);
  if (text === undefined) {
    text = JSON.stringify(encodePairs(resource, false));
    resourceSections.set(resource, text);
  }
  return text;
}

const KIND_NAMES = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

/** Each section's canonical JSON text, in SECTIONS order. */
export function canonicalSections(record: SpanRecord): string[] {
  const statusCode = record.status.code === 1 || record.status.code === 2 ? record.status.code : 0;
  const span: string[] = [
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
    .map((event) => JSON.stringify([event.timeMicros.toString(), event.name, encodePairs(event.attributes, false)]))
    .sort();
  const links = record.links.map((link) => JSON.stringify([link.traceId.toLowerCase(), link.spanId.toLowerCase()])).sort();
  return [
    JSON.stringify(span),
    JSON.stringify(encodePairs(record.attributes, true)),
    `[${events.join(',')}]`,
    `[${links.join(',')}]`,
    resourceSection(record.resource),
    JSON.stringify([record.scope.name, record.scope.version]),
  ];
}

export interface SpanMac {
  /** base64url, no padding. */
  mac: string;
  /** Each section's CRC-32 (8 hex digits), joined with '.', in SECTIONS order: for diagnosis only. */
  digests: string;
}

const VERSION_LINE = Buffer.from(`${CHAIN_VERSION}\n`, 'utf8');
const NEWLINE = Buffer.from('\n', 'utf8');

/** The text the MAC covers: the version line, then each section's JSON text on a line of its own. */
export function canonicalText(record: SpanRecord): { text: string; sections: string[] } {
  const sections = canonicalSections(record);
  return { text: `${CHAIN_VERSION}\n${sections.join('\n')}\n`, sections };
}

/**
 * MAC = HMAC-SHA256(key, canonical text). The per-section CRC-32s are not a security measure (the MAC
 * is): they let a verifier say which section changed, for the price of a checksum, where a SHA-256 per
 * section measured 3 µs each (bench/audit).
 */
export function macRecord(key: KeyObject | Buffer, record: SpanRecord): SpanMac {
  const hmac = createHmac('sha256', key).update(VERSION_LINE);
  const digests: string[] = [];
  // Each section is encoded to UTF-8 once, for both the HMAC and its checksum (the 2 KB of content
  // dominate the cost: bench/audit).
  for (const section of canonicalSections(record)) {
    const bytes = Buffer.from(section, 'utf8');
    hmac.update(bytes).update(NEWLINE);
    digests.push(crc32(bytes).toString(16).padStart(8, '0'));
  }
  return { mac: hmac.digest('base64url'), digests: digests.join('.') };
}

/** Names the sections whose short digests differ; undefined when `stored` cannot be read. */
export function changedSections(stored: unknown, computed: string): Section[] | undefined {
  if (typeof stored !== 'string') return undefined;
  const before = stored.split('.');
  const after = computed.split('.');
  if (before.length !== SECTIONS.length) return undefined;
  return SECTIONS.filter((_, index) => before[index] !== after[index]);
}
