import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordTimes, type RecordAttributes, type RecordValue, type SpanRecord } from './span-record';

/** Exactly as @opentelemetry/otlp-transformer's hrTimeToNanos, so the record matches what is exported. */
function hrTimeToNanos(time: HrTime): bigint {
  return BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]));
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
  const context = span.spanContext();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    name: span.name,
    // The API numbers kinds from 0 (INTERNAL); OTLP from 1.
    kind: span.kind + 1,
    ...recordTimes(hrTimeToNanos(span.startTime), hrTimeToNanos(span.endTime)),
    attributes: pairs(attributes),
    events: span.events.map((event) => ({
      timeMicros: hrTimeToNanos(event.time) / 1000n,
      name: event.name,
      attributes: pairs(event.attributes),
    })),
    links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
    status: { code: span.status.code, message: span.status.message ?? '' },
    resource: resourceAttributes(span.resource),
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version ?? '' },
  };
}
