import { hash, type KeyObject } from 'node:crypto';
import { ATTR_CHAIN_DIGESTS, ATTR_CHAIN_MAC, CHAIN_VERSION } from './chain-attributes';
import { sectionMac } from './section-mac';
import type { RecordAttributes, RecordValue, SpanRecord } from './span-record';

/*
 * The canonical encoding `llm-otel-chain/1`, exactly as docs/integrity-chain.md specifies it. Any change
 * to what this file produces is a new version: records signed under /1 must keep verifying.
 */

/** The sections, in MAC order; the verifier names the ones whose digest changed. */
export const SECTIONS = ['span', 'attributes', 'events', 'links', 'resource', 'scope'] as const;
export type Section = (typeof SECTIONS)[number];
/** From here on (links, resource, scope) a section's text is usually the same for many spans. */
const REPEATING_SECTIONS_FROM = SECTIONS.indexOf('links');

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
  while (
    index < text.length &&
    (text.charCodeAt(index) === 0x20 || text.charCodeAt(index) === 0x0a || text.charCodeAt(index) === 0x0d || text.charCodeAt(index) === 0x09)
  )
    index += 1;
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

/** [key, encoding] pairs sorted by key (UTF-16 code units); attributes without a value are left out. */
function encodePairs(attributes: RecordAttributes, excludeReserved: boolean): [string, Encoded][] {
  const pairs: [string, Encoded][] = [];
  for (const [key, value] of attributes) {
    if (value === null || value === undefined) continue;
    if (excludeReserved && EXCLUDED_ATTRIBUTE_KEYS.has(key)) continue;
    pairs.push([key, encodeValue(value)]);
  }
  return pairs.sort(byKey);
}

/**
 * `JSON.stringify(encodeValue(value))`, written out for the kinds that need no intermediate array (the
 * test "encodedText is the JSON text of encodeValue" pins the equality). Canonical numbers and base64url
 * digests never need escaping.
 */
export function encodedText(value: RecordValue | undefined): string {
  switch (typeof value) {
    case 'number':
      return `["n","${canonicalNumber(value)}"]`;
    case 'boolean':
      return value ? '["b","true"]' : '["b","false"]';
    case 'string':
      // Not an array's JSON text, and too short to be hashed: the string itself.
      if (value.charCodeAt(0) !== 0x5b /* [ */ && value.length < LONG_STRING_UNITS) return JSON.stringify(value);
      break;
    default:
      break;
  }
  return JSON.stringify(encodeValue(value));
}

/**
 * What one attribute key list sorts to. Spans of one instrumentation repeat the same keys in the same
 * order, and building, filtering, sorting and JSON-encoding ~33 [key, value] arrays per span was the
 * largest part of signing (bench/audit, trust-gaps notes): a list with exactly the keys of a remembered
 * one, in the same order, and no value missing, takes its order (the indices of the pairs kept, sorted)
 * and each pair's JSON prefix `["key",`; only the values are encoded per span. Only lists without a
 * repeated key are remembered, so the order depends on the keys alone. Bounded: the oldest is replaced.
 */
interface KeyPlan {
  keys: readonly string[];
  excludeReserved: boolean;
  order: number[];
  prefixes: string[];
  /**
   * The last primitive value seen at each sorted position, and its pair's text: most values repeat from
   * span to span (model, provider, server, the chain's own id and key id, often the system prompt), and
   * encoding them again (escaping, number formatting, a SHA-256 for long text) was ~2 µs per span
   * (bench/audit). The text is a pure function of a primitive value, so `===` makes the reuse exact.
   */
  lastValues: unknown[];
  lastParts: string[];
}
const keyPlans: KeyPlan[] = [];
const MAX_KEY_PLANS = 32;
let nextKeyPlan = 0;

function isMissing(value: unknown): boolean {
  return value === null || value === undefined;
}

function rememberedPlan(keys: readonly string[], values: readonly unknown[], excludeReserved: boolean): KeyPlan | undefined {
  search: for (const known of keyPlans) {
    if (known.keys.length !== keys.length || known.excludeReserved !== excludeReserved) continue;
    for (let index = 0; index < keys.length; index += 1) {
      if (known.keys[index] !== keys[index] || isMissing(values[index])) continue search;
    }
    return known;
  }
  return undefined;
}

/** A plan for a key list that can have one (no repeated key, no missing value), remembered; else undefined. */
function newPlan(keys: readonly string[], values: readonly unknown[], excludeReserved: boolean): KeyPlan | undefined {
  if (keys.length === 0) return undefined;
  const order: number[] = [];
  for (let index = 0; index < keys.length; index += 1) {
    if (isMissing(values[index])) return undefined;
    if (!excludeReserved || !EXCLUDED_ATTRIBUTE_KEYS.has(keys[index])) order.push(index);
  }
  order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  for (let index = 1; index < order.length; index += 1) if (keys[order[index]] === keys[order[index - 1]]) return undefined;
  const plan: KeyPlan = {
    keys: [...keys],
    excludeReserved,
    order,
    prefixes: order.map((index) => `[${JSON.stringify(keys[index])},`),
    lastValues: new Array<unknown>(order.length).fill(undefined),
    lastParts: new Array<string>(order.length).fill(''),
  };
  keyPlans[nextKeyPlan] = plan;
  nextKeyPlan = (nextKeyPlan + 1) % MAX_KEY_PLANS;
  return plan;
}

/**
 * The JSON text of the sorted [key, encoding] pairs of `keys[i]`/`values[i]`: exactly
 * `JSON.stringify(encodePairs(…))`, through a key plan when the list has one.
 */
function pairsText(keys: readonly string[], values: readonly RecordValue[], excludeReserved: boolean): string {
  const plan = rememberedPlan(keys, values, excludeReserved) ?? newPlan(keys, values, excludeReserved);
  if (!plan)
    return JSON.stringify(
      encodePairs(
        keys.map((key, index) => [key, values[index]]),
        excludeReserved,
      ),
    );
  const parts = new Array<string>(plan.order.length);
  for (let index = 0; index < parts.length; index += 1) {
    const value = values[plan.order[index]];
    // A value is never undefined here (no plan then), so the initial `undefined` matches nothing.
    if (value === plan.lastValues[index]) {
      parts[index] = plan.lastParts[index];
      continue;
    }
    const part = `${plan.prefixes[index]}${encodedText(value)}]`;
    parts[index] = part;
    if (typeof value !== 'object') {
      plan.lastValues[index] = value;
      plan.lastParts[index] = part;
    }
  }
  return flatList(parts);
}

/**
 * `[${parts.join(',')}]` as a flat string. A string built by concatenation is a rope to V8, and the HMAC
 * and the CRC-32 read a rope several µs per span slower than a flat string (bench/audit, trust-gaps
 * notes); `join` writes one flat string. Takes `parts` over.
 */
function flatList(parts: string[]): string {
  if (parts.length === 0) return '[]';
  parts[0] = `[${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}]`;
  return parts.join(',');
}

function listText(attributes: RecordAttributes, excludeReserved: boolean): string {
  return pairsText(
    attributes.map((pair) => pair[0]),
    attributes.map((pair) => pair[1]),
    excludeReserved,
  );
}

/**
 * The attributes section of the exported attribute object given as its keys (`Object.keys` order) and
 * values, without a [key, value] list first (the signer's path): the same text `canonicalSections` gives
 * for the object's entries. Values are primitives or arrays of them (array items possibly null or
 * undefined, which encodeValue writes as ["z"]).
 */
export function attributesSection(keys: readonly string[], values: readonly unknown[]): string {
  return pairsText(keys, values as readonly RecordValue[], true);
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
    text = listText(resource, false);
    resourceSections.set(resource, text);
  }
  return text;
}

const KIND_NAMES = ['internal', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The record without its attributes: the signer encodes those from the exported object itself. */
export type RecordWithoutAttributes = Omit<SpanRecord, 'attributes'>;

/** Each section's canonical JSON text, in SECTIONS order. */
export function canonicalSections(record: SpanRecord): string[] {
  return sectionsWith(record, listText(record.attributes, true));
}

/** The sections, with the attributes section given (from `attributesSection`, or a list). */
export function sectionsWith(record: RecordWithoutAttributes, attributesSection: string): string[] {
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
  // `[time, name, pairs]`: the time is decimal digits, which need no escaping.
  const events = record.events.map((event) => `["${event.timeMicros.toString()}",${JSON.stringify(event.name)},${listText(event.attributes, false)}]`).sort();
  const links = record.links.map((link) => JSON.stringify([link.traceId.toLowerCase(), link.spanId.toLowerCase()])).sort();
  return [
    JSON.stringify(span),
    attributesSection,
    flatList(events),
    flatList(links),
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

/** The text the MAC covers: the version line, then each section's JSON text on a line of its own. */
export function canonicalText(record: SpanRecord): { text: string; sections: string[] } {
  const sections = canonicalSections(record);
  return { text: textOf(sections), sections };
}

/** `${CHAIN_VERSION}\n${sections.join('\n')}\n`, as one flat string (see flatList). */
function textOf(sections: readonly string[]): string {
  const lines = [CHAIN_VERSION];
  for (const section of sections) lines.push(section);
  lines.push('');
  return lines.join('\n');
}

/**
 * MAC = HMAC-SHA256(key, canonical text). The per-section CRC-32s are not a security measure (the MAC
 * is): they let a verifier say which section changed, for the price of a checksum, where a SHA-256 per
 * section measured 3 µs each (bench/audit).
 */
export function macRecord(key: KeyObject | Buffer, record: SpanRecord): SpanMac {
  const { mac, digests } = macOfSections(key, canonicalSections(record));
  return { mac, digests };
}

/**
 * The MAC of the given sections, its 32 bytes (the chain's running digest hashes them), and the digests
 * (section-mac.ts writes the text once, into a buffer both read).
 */
export function macOfSections(key: KeyObject | Buffer, sections: readonly string[]): SpanMac & { bytes: Buffer } {
  const { bytes, digests } = sectionMac(key, CHAIN_VERSION, sections, REPEATING_SECTIONS_FROM);
  return { mac: bytes.toString('base64url'), digests, bytes };
}

/** Names the sections whose short digests differ; undefined when `stored` cannot be read. */
export function changedSections(stored: unknown, computed: string): Section[] | undefined {
  if (typeof stored !== 'string') return undefined;
  const before = stored.split('.');
  const after = computed.split('.');
  if (before.length !== SECTIONS.length) return undefined;
  return SECTIONS.filter((_, index) => before[index] !== after[index]);
}
