import type { HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { ProtoWriter, varintSize } from './proto-writer';

/**
 * ExportTraceServiceRequest bytes for `spans`, byte for byte what @opentelemetry/otlp-transformer
 * 0.223's ProtobufTraceSerializer.serializeRequest writes (same grouping by resource and scope object,
 * field order, omitted defaults and value mapping), in one pass instead of its estimate pass and write
 * pass. Field numbers are opentelemetry/proto trace/v1 and common/v1; each tag byte is
 * (field << 3) | wire type.
 */
export function serializeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const writer = takeWriter();
  try {
    for (const [resource, scopes] of groupByResourceAndScope(spans)) {
      writer.byte(0x0a); // resource_spans = 1
      writeResourceSpans(writer, resource, scopes);
    }
    return writer.copyOut();
  } finally {
    giveBack(writer);
  }
}

type SpanResource = ReadableSpan['resource'];
type SpanScope = ReadableSpan['instrumentationScope'];

// One writer kept between calls (its buffer stays warm); a nested call (a getter that serializes)
// gets a new one. A buffer grown past KEPT_BYTES by an unusually large batch is not kept.
const FIRST_BYTES = 64 * 1024;
const KEPT_BYTES = 4 * 1024 * 1024;
let idle: ProtoWriter | undefined;

function takeWriter(): ProtoWriter {
  const writer = idle ?? new ProtoWriter(FIRST_BYTES);
  idle = undefined;
  writer.pos = 0;
  return writer;
}

function giveBack(writer: ProtoWriter): void {
  if (writer.buf.length <= KEPT_BYTES) idle = writer;
}

/** By object identity, in first-seen order, as upstream's createResourceMap. */
function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<SpanResource, Map<SpanScope, ReadableSpan[]>> {
  const resources = new Map<SpanResource, Map<SpanScope, ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = resources.get(span.resource);
    if (!scopes) {
      scopes = new Map();
      resources.set(span.resource, scopes);
    }
    const inScope = scopes.get(span.instrumentationScope);
    if (inScope) inScope.push(span);
    else scopes.set(span.instrumentationScope, [span]);
  }
  return resources;
}

// Guessed length-prefix sizes: right for most spans (128 B to 16 KiB) and batches (16 KiB to 2 MiB),
// so that finish() rarely moves a message; a wrong guess costs a move, never a wrong byte.
const SPAN_PREFIX = 2;
const BATCH_PREFIX = 3;

function writeResourceSpans(writer: ProtoWriter, resource: SpanResource, scopes: Map<SpanScope, ReadableSpan[]>): void {
  const at = writer.start(BATCH_PREFIX);
  // resource = 1: attributes = 1, dropped_attributes_count = 2 (always 0, as upstream)
  writer.byte(0x0a);
  const resourceAt = writer.start(SPAN_PREFIX);
  if (resource.attributes) writeAttributes(writer, resource.attributes, 0x0a);
  writer.byte(0x10);
  writer.byte(0);
  writer.finish(resourceAt, SPAN_PREFIX);
  for (const spans of scopes.values()) {
    writer.byte(0x12); // scope_spans = 2
    writeScopeSpans(writer, spans[0].instrumentationScope, spans);
  }
  if (resource.schemaUrl) {
    writer.byte(0x1a); // schema_url = 3
    writer.string(resource.schemaUrl);
  }
  writer.finish(at, BATCH_PREFIX);
}

function writeScopeSpans(writer: ProtoWriter, scope: SpanScope & { attributes?: unknown; droppedAttributesCount?: number }, spans: ReadableSpan[]): void {
  const at = writer.start(BATCH_PREFIX);
  // scope = 1: name = 1, version = 2, attributes = 3, dropped_attributes_count = 4
  writer.byte(0x0a);
  const scopeAt = writer.start(1);
  writer.byte(0x0a);
  writer.string(scope.name);
  if (scope.version) {
    writer.byte(0x12);
    writer.string(scope.version);
  }
  if (scope.attributes) writeAttributes(writer, scope.attributes, 0x1a);
  if (scope.droppedAttributesCount) {
    writer.byte(0x20);
    writer.varint(scope.droppedAttributesCount);
  }
  writer.finish(scopeAt, 1);
  for (const span of spans) {
    writer.byte(0x12); // spans = 2
    writeSpan(writer, span);
  }
  if (scope.schemaUrl) {
    writer.byte(0x1a); // schema_url = 3
    writer.string(scope.schemaUrl);
  }
  writer.finish(at, BATCH_PREFIX);
}

/** Span flags: the W3C trace flags, plus "has is_remote" always and "is remote" when it is. */
function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

function writeSpan(writer: ProtoWriter, span: ReadableSpan): void {
  const at = writer.start(SPAN_PREFIX);
  const context = span.spanContext();
  writer.byte(0x0a); // trace_id = 1
  writer.hex(context.traceId);
  writer.byte(0x12); // span_id = 2
  writer.hex(context.spanId);
  writeTraceState(writer, context, 0x1a); // trace_state = 3
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.byte(0x22); // parent_span_id = 4
    writer.hex(parent.spanId);
  }
  writer.byte(0x2a); // name = 5
  writer.string(span.name);
  // kind = 6: the API's kinds are the protocol's minus one (the protocol has UNSPECIFIED = 0)
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.byte(0x30);
    writer.varint(kind);
  }
  writer.byte(0x39); // start_time_unix_nano = 7, fixed64
  writeHrTime(writer, span.startTime);
  writer.byte(0x41); // end_time_unix_nano = 8, fixed64
  writeHrTime(writer, span.endTime);
  if (span.attributes) writeAttributes(writer, span.attributes, 0x4a); // attributes = 9
  writer.byte(0x50); // dropped_attributes_count = 10
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    writer.byte(0x5a); // events = 11
    writeEvent(writer, event);
  }
  writer.byte(0x60); // dropped_events_count = 12
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) {
    writer.byte(0x6a); // links = 13
    writeLink(writer, link);
  }
  writer.byte(0x70); // dropped_links_count = 14
  writer.varint(span.droppedLinksCount);
  writer.byte(0x7a); // status = 15: message = 2, code = 3
  const statusAt = writer.start(1);
  const status = span.status;
  if (status.message) {
    writer.byte(0x12);
    writer.string(status.message);
  }
  writer.byte(0x18);
  writer.varint(status.code);
  writer.finish(statusAt, 1);
  writer.byte(0x85); // flags = 16, fixed32: a two-byte tag
  writer.byte(0x01);
  writer.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
  writer.finish(at, SPAN_PREFIX);
}

function writeTraceState(writer: ProtoWriter, context: SpanContext, tag: number): void {
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.byte(tag);
    writer.string(traceState);
  }
}

function writeEvent(writer: ProtoWriter, event: TimedEvent): void {
  const at = writer.start(1);
  writer.byte(0x09); // time_unix_nano = 1, fixed64
  writeHrTime(writer, event.time);
  writer.byte(0x12); // name = 2
  writer.string(event.name);
  if (event.attributes) writeAttributes(writer, event.attributes, 0x1a); // attributes = 3
  writer.byte(0x20); // dropped_attributes_count = 4
  writer.varint(event.droppedAttributesCount || 0);
  writer.finish(at, 1);
}

function writeLink(writer: ProtoWriter, link: Link): void {
  const at = writer.start(1);
  const context = link.context;
  writer.byte(0x0a); // trace_id = 1
  writer.hex(context.traceId);
  writer.byte(0x12); // span_id = 2
  writer.hex(context.spanId);
  writeTraceState(writer, context, 0x1a); // trace_state = 3
  if (link.attributes) writeAttributes(writer, link.attributes, 0x22); // attributes = 4
  writer.byte(0x28); // dropped_attributes_count = 5
  writer.varint(link.droppedAttributesCount || 0);
  writer.byte(0x35); // flags = 6, fixed32
  writer.fixed32(spanFlags(context.traceFlags, context.isRemote));
  writer.finish(at, 1);
}

/**
 * [seconds, nanoseconds] as unsigned nanoseconds, fixed64, with upstream's arithmetic: seconds split
 * at bit 16 so that each product stays an exact double, then the two 32-bit halves with carries.
 */
function writeHrTime(writer: ProtoWriter, time: HrTime): void {
  const seconds = time[0];
  const nanos = time[1];
  const lowNanos = (seconds & 0xffff) * 1e9;
  const highNanos = ((seconds / 0x10000) >>> 0) * 1e9;
  const low = (lowNanos >>> 0) + (((highNanos & 0xffff) * 0x10000) >>> 0) + nanos;
  const high = Math.floor(lowNanos / 0x100000000) + ((highNanos / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
  writer.fixed64(low >>> 0, high >>> 0);
}

/** Repeated KeyValue under the one-byte `tag`, own enumerable keys in for-in order. */
function writeAttributes(writer: ProtoWriter, attributes: object, tag: number): void {
  const values = attributes as Record<string, unknown>;
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    writer.byte(tag);
    writeKeyValue(writer, key, values[key]);
  }
}

/** KeyValue: key = 1, value = 2 (AnyValue). */
function writeKeyValue(writer: ProtoWriter, key: string, value: unknown): void {
  // A string value is most of a span's bytes (message content): guess both prefixes from its length
  // so that neither message has to be moved.
  const valueGuess = typeof value === 'string' ? varintSize(value.length + 3) : 1;
  const guess = typeof value === 'string' ? varintSize(value.length + key.length + 8) : 1;
  const at = writer.start(guess);
  writeKeyField(writer, key);
  writer.byte(0x12);
  const valueAt = writer.start(valueGuess);
  writeAnyValue(writer, value);
  writer.finish(valueAt, valueGuess);
  writer.finish(at, guess);
}

// The key field (tag, length, UTF-8) of attribute names seen before: the same few dozen names recur
// on every span, and one copy of their bytes is cheaper than encoding them again (~0.8 µs of the
// bench's 25-attribute span, measured). Bounded: names past the first KEY_CACHE_SIZE, or longer than
// KEY_CACHE_BYTES encoded, are encoded each time.
const KEY_CACHE_SIZE = 4096;
const KEY_CACHE_BYTES = 64;
const keyFields = new Map<string, Uint8Array>();

function writeKeyField(writer: ProtoWriter, key: string): void {
  const cached = keyFields.get(key);
  if (cached !== undefined) {
    writer.raw(cached);
    return;
  }
  const start = writer.pos;
  writer.byte(0x0a);
  writer.string(key);
  if (keyFields.size < KEY_CACHE_SIZE && writer.pos - start <= KEY_CACHE_BYTES) keyFields.set(key, new Uint8Array(writer.buf.subarray(start, writer.pos)));
}

const MIN_INT64 = -(2 ** 63);
const MAX_INT64_EXCLUSIVE = 2 ** 63;

/**
 * AnyValue: string = 1, bool = 2, int = 3 (any integer in int64 range, not only safe ones), double = 4,
 * array = 5, kvlist = 6, bytes = 7. Anything else (undefined, null, a function, a bigint, a symbol)
 * is an empty AnyValue, as upstream writes it.
 */
function writeAnyValue(writer: ProtoWriter, value: unknown): void {
  const type = typeof value;
  if (type === 'string') {
    writer.byte(0x0a);
    writer.string(value as string);
  } else if (type === 'boolean') {
    writer.byte(0x10);
    writer.byte(value ? 1 : 0);
  } else if (type === 'number') {
    const number = value as number;
    if (Number.isInteger(number) && number >= MIN_INT64 && number < MAX_INT64_EXCLUSIVE) {
      writer.byte(0x18);
      writer.varint(number);
    } else {
      writer.byte(0x21);
      writer.double(number);
    }
  } else if (value instanceof Uint8Array) {
    writer.byte(0x3a);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.byte(0x2a);
    const at = writer.start(1);
    for (const item of value) {
      writer.byte(0x0a); // values = 1
      const itemAt = writer.start(1);
      writeAnyValue(writer, item);
      writer.finish(itemAt, 1);
    }
    writer.finish(at, 1);
  } else if (type === 'object' && value !== null) {
    writer.byte(0x32);
    const at = writer.start(1);
    writeAttributes(writer, value as object, 0x0a); // values = 1
    writer.finish(at, 1);
  }
}
