/**
 * A span as the canonical encoding sees it, independent of the format it was read from (an SDK
 * ReadableSpan, OTLP JSON, Jaeger 1.x JSON, Tempo JSON). Only what survives every one of those formats
 * is here; docs/integrity-chain.md lists what is left out and why.
 */
export type RecordValue = string | number | boolean | null | RecordValue[] | { [key: string]: RecordValue };

/** Key/value pairs in the order read; duplicates kept (the encoding sorts them). */
export type RecordAttributes = [string, RecordValue][];

export interface SpanRecord {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 lowercase hex digits, '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP numbering: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** Microseconds since the epoch, truncated (Jaeger 1.x keeps no more). */
  startMicros: bigint;
  /** (end − start) in nanoseconds, divided by 1000 and truncated: what Jaeger 1.x stores as the duration. */
  durationMicros: bigint;
  attributes: RecordAttributes;
  events: { timeMicros: bigint; name: string; attributes: RecordAttributes }[];
  links: { traceId: string; spanId: string }[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
  resource: RecordAttributes;
  scope: { name: string; version: string };
}

/** Nanoseconds since the epoch → the record's microseconds (truncating, as Go's integer division does). */
export function nanosToMicros(nanos: bigint): bigint {
  return nanos / 1000n;
}

/** The start/duration pair from nanosecond timestamps. */
export function recordTimes(startNanos: bigint, endNanos: bigint): { startMicros: bigint; durationMicros: bigint } {
  return { startMicros: nanosToMicros(startNanos), durationMicros: (endNanos - startNanos) / 1000n };
}
