import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RecordWithoutAttributes } from './canonical';
import { recordTimes, type RecordAttributes, type RecordValue, type SpanRecord } from './span-record';

/** Exactly as @opentelemetry/otlp-transformer's hrTimeToNanos, so the record matches what is exported. */
function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]));
}

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * hrTimeToNanos(time) / 1000 (truncated), in safe-integer arithmetic when it can be: seconds × 10⁶ fits
 * (≈ 1.8 × 10¹⁵ < 2⁵³), where the nanoseconds do not. BigInt arithmetic on every timestamp cost ~3 µs
 * of the ~6 µs of building a record (bench/audit); the result is the same integer.
 */
function hrTimeToMicros(time: HrTime): bigint {
  const seconds = Math.trunc(time[0]);
  const nanos = Math.trunc(time[1]);
  if (nanos >= 0 && nanos < NANOS_PER_SECOND && seconds >= 0) {
    const micros = seconds * 1_000_000 + (nanos - (nanos % 1000)) / 1000;
    if (Number.isSafeInteger(micros)) return BigInt(micros);
  }
  return hrTimeToNanos(time) / 1000n;
}

/** (end − start) in nanoseconds / 1000, truncated toward zero, as recordTimes computes it. */
function durationMicros(start: HrTime, end: HrTime): bigint {
  const difference = (Math.trunc(end[0]) - Math.trunc(start[0])) * NANOS_PER_SECOND + (Math.trunc(end[1]) - Math.trunc(start[1]));
  // Exact while the difference is a safe integer (≈ 104 days): the remainder and the division are exact.
  if (Number.isSafeInteger(difference)) return BigInt((difference - (difference % 1000)) / 1000);
  return recordTimes(hrTimeToNanos(start), hrTimeToNanos(end)).durationMicros;
}

function pairs(attributes: Attributes | undefined): RecordAttributes {
  const result: RecordAttributes = [];
  if (!attributes) return result;
  for (const key of Object.keys(attributes)) result.push([key, attributes[key] as RecordValue]);
  return result;
}

/** One attribute list per Resource object, so the encoding's per-list cache applies (canonical.ts). */
const resourcePairs = new WeakMap<object, RecordAttributes>();

function resourceAttributes(resource: ReadableSpan['resource']): RecordAttributes {
  // While asynchronous detectors are pending the attributes may still grow: no caching then.
  if (resource.asyncAttributesPending) return pairs(resource.attributes);
  let list = resourcePairs.get(resource);
  if (!list) {
    list = pairs(resource.attributes);
    resourcePairs.set(resource, list);
  }
  return list;
}

/**
 * The record of an SDK span as the OTLP exporter will send it; `attributes` replaces the span's own
 * (the signer passes the exported attributes, the chain's included).
 */
export function recordFromReadableSpan(span: ReadableSpan, attributes: Attributes = span.attributes): SpanRecord {
  return { ...recordWithoutAttributes(span), attributes: pairs(attributes) };
}

/** Everything of the record but the attributes, which the signer encodes from the exported object itself. */
export function recordWithoutAttributes(span: ReadableSpan): RecordWithoutAttributes {
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    name: span.name,
    // The API numbers kinds from 0 (INTERNAL); OTLP from 1.
    kind: span.kind + 1,
    startMicros: hrTimeToMicros(span.startTime),
    durationMicros: durationMicros(span.startTime, span.endTime),
    events: span.events.map((event) => ({
      timeMicros: hrTimeToMicros(event.time),
      name: event.name,
      attributes: pairs(event.attributes),
    })),
    links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
    status: { code: span.status.code, message: span.status.message ?? '' },
    resource: resourceAttributes(span.resource),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '' },
  };
}
