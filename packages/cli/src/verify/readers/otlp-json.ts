import type { RecordAttributes, RecordValue, SpanRecord } from '@llm-otel/audit/verify';
import { recordTimes } from '@llm-otel/audit/verify';
import { arrayAt, bigintOf, idOf, isObject, ReadProblem, stringAt, type JsonObject } from './narrow';

/*
 * OTLP JSON as these write it: the Collector's file exporter (one ExportTraceServiceRequest per line,
 * hex ids, int64 as strings, enums as integers), the OTLP/HTTP JSON encoding, Jaeger 2.x's
 * /api/v3/traces ({"result": TracesData}), and Grafana Tempo's trace by id (/api/traces/<id>:
 * {"batches": [...]}, older releases with instrumentationLibrarySpans; /api/v2/traces/<id>:
 * {"trace": TracesData}), whose protobuf JSON mapping gives ids in base64 and enums as names.
 */

const MAX_VALUE_DEPTH = 16;

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_NAMES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumOf(value: unknown, names: Record<string, number>): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') return names[value] ?? 0;
  return 0;
}

function numberOf(value: unknown): number {
  if (typeof value === 'number') return value;
  // int64 as a decimal string; doubles as "NaN", "Infinity", "-Infinity" in the protobuf JSON mapping.
  if (typeof value === 'string') return Number(value);
  return Number.NaN;
}

function readValue(value: unknown, depth: number): RecordValue {
  if (!isObject(value)) return null;
  if (depth > MAX_VALUE_DEPTH) throw new ReadProblem('attribute values nested too deeply');
  if ('stringValue' in value) return typeof value.stringValue === 'string' ? value.stringValue : String(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true || value.boolValue === 'true';
  if ('intValue' in value) return numberOf(value.intValue);
  if ('doubleValue' in value) return numberOf(value.doubleValue);
  if ('bytesValue' in value) return typeof value.bytesValue === 'string' ? value.bytesValue : null;
  if ('arrayValue' in value) {
    const array = isObject(value.arrayValue) ? arrayAt(value.arrayValue, 'values') : [];
    return array.map((item) => readValue(item, depth + 1));
  }
  if ('kvlistValue' in value) {
    const object: { [key: string]: RecordValue } = {};
    const list = isObject(value.kvlistValue) ? arrayAt(value.kvlistValue, 'values') : [];
    for (const pair of list) if (isObject(pair) && typeof pair.key === 'string') object[pair.key] = readValue(pair.value, depth + 1);
    return object;
  }
  return null;
}

export function readAttributes(list: unknown): RecordAttributes {
  const attributes: RecordAttributes = [];
  if (!Array.isArray(list)) return attributes;
  for (const pair of list) {
    if (isObject(pair) && typeof pair.key === 'string') attributes.push([pair.key, readValue(pair.value, 0)]);
  }
  return attributes;
}

function readSpan(span: JsonObject, resource: RecordAttributes, scope: SpanRecord['scope']): SpanRecord {
  const traceId = idOf(span.traceId, 16);
  const spanId = idOf(span.spanId, 8);
  if (!traceId || !spanId) throw new ReadProblem('a span without a readable trace or span id');
  const start = bigintOf(span.startTimeUnixNano);
  const end = bigintOf(span.endTimeUnixNano);
  if (start === undefined || end === undefined) throw new ReadProblem(`span ${spanId} has no readable start or end time`);
  const parent = span.parentSpanId === undefined || span.parentSpanId === '' ? '' : idOf(span.parentSpanId, 8);
  if (parent === undefined) throw new ReadProblem(`span ${spanId} has an unreadable parent span id`);
  const status = isObject(span.status) ? span.status : {};
  return {
    traceId,
    spanId,
    parentSpanId: parent,
    name: stringAt(span, 'name') ?? '',
    kind: enumOf(span.kind, KIND_NAMES),
    ...recordTimes(start, end),
    attributes: readAttributes(span.attributes),
    events: arrayAt(span, 'events')
      .filter(isObject)
      .map((event) => ({
        timeMicros: (bigintOf(event.timeUnixNano) ?? 0n) / 1000n,
        name: stringAt(event, 'name') ?? '',
        attributes: readAttributes(event.attributes),
      })),
    links: arrayAt(span, 'links')
      .filter(isObject)
      .map((link) => ({ traceId: idOf(link.traceId, 16) ?? '', spanId: idOf(link.spanId, 8) ?? '' })),
    status: { code: enumOf(status.code, STATUS_NAMES), message: stringAt(status, 'message') ?? '' },
    resource,
    scope,
  };
}

/** The resourceSpans array of any of the OTLP-shaped documents, or undefined when this is not one. */
export function otlpResourceSpans(document: JsonObject): unknown[] | undefined {
  if (Array.isArray(document.resourceSpans)) return document.resourceSpans;
  if (Array.isArray(document.batches)) return document.batches;
  for (const wrapper of ['result', 'trace']) {
    const inner = document[wrapper];
    if (isObject(inner) && Array.isArray(inner.resourceSpans)) return inner.resourceSpans;
  }
  return undefined;
}

export interface ReadOutcome {
  records: SpanRecord[];
  problems: string[];
}

export function readOtlpResourceSpans(resourceSpans: unknown[]): ReadOutcome {
  const outcome: ReadOutcome = { records: [], problems: [] };
  for (const group of resourceSpans) {
    if (!isObject(group)) continue;
    const resource = readAttributes(isObject(group.resource) ? group.resource.attributes : undefined);
    const scopes = [...arrayAt(group, 'scopeSpans'), ...arrayAt(group, 'instrumentationLibrarySpans')];
    for (const scopeSpans of scopes) {
      if (!isObject(scopeSpans)) continue;
      const rawScope = isObject(scopeSpans.scope) ? scopeSpans.scope : isObject(scopeSpans.instrumentationLibrary) ? scopeSpans.instrumentationLibrary : {};
      const scope = { name: stringAt(rawScope, 'name') ?? '', version: stringAt(rawScope, 'version') ?? '' };
      for (const span of arrayAt(scopeSpans, 'spans')) {
        if (!isObject(span)) continue;
        try {
          outcome.records.push(readSpan(span, resource, scope));
        } catch (error) {
          outcome.problems.push(error instanceof ReadProblem ? error.message : 'a span could not be read');
        }
      }
    }
  }
  return outcome;
}
