import type { RecordAttributes, RecordValue, SpanRecord } from '@llm-otel/audit/verify';
import { arrayAt, bigintOf, idOf, isObject, ReadProblem, stringAt, type JsonObject } from './narrow';
import type { ReadOutcome } from './otlp-json';

/*
 * Jaeger 1.x query API JSON (/api/traces/<id> and /api/traces?service=…, the UI's "Download JSON"):
 * {"data": [{"traceID", "spans": [...], "processes": {"p1": {"serviceName", "tags"}}}]}, times in
 * microseconds, tags as {key, type, value}. The fields OTLP keeps apart arrive as tags, per the
 * OpenTelemetry-to-Jaeger mapping of the Collector's translator: span.kind, otel.status_code,
 * otel.status_description, error, otel.scope.* (otel.library.* before), event names as the log field
 * `event`, links as FOLLOWS_FROM references, arrays as the JSON text of the array.
 */

const KINDS: Record<string, number> = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 };

function tagValue(tag: JsonObject): RecordValue {
  const value = tag.value;
  switch (tag.type) {
    case 'bool':
      return value === true || value === 'true';
    case 'int64':
    case 'float64':
      return typeof value === 'number' ? value : Number(value);
    default:
      // string, binary (base64 text), and anything unknown: as text.
      return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
  }
}

function readTags(list: unknown): RecordAttributes {
  const tags: RecordAttributes = [];
  if (!Array.isArray(list)) return tags;
  for (const tag of list) if (isObject(tag) && typeof tag.key === 'string') tags.push([tag.key, tagValue(tag)]);
  return tags;
}

function take(tags: RecordAttributes, ...keys: string[]): RecordValue | undefined {
  for (const key of keys) {
    const found = tags.find(([name]) => name === key);
    if (found) return found[1];
  }
  return undefined;
}

function readSpan(span: JsonObject, processes: JsonObject): SpanRecord {
  const traceId = idOf(span.traceID, 16);
  const spanId = idOf(span.spanID, 8);
  if (!traceId || !spanId) throw new ReadProblem('a span without a readable trace or span id');
  const start = bigintOf(span.startTime);
  const duration = bigintOf(span.duration);
  if (start === undefined || duration === undefined) throw new ReadProblem(`span ${spanId} has no readable start time or duration`);
  const tags = readTags(span.tags);
  const process = isObject(span.process) ? span.process : isObject(processes[String(span.processID)]) ? (processes[String(span.processID)] as JsonObject) : {};
  const processTags = readTags(process.tags);
  const references = arrayAt(span, 'references').filter(isObject);
  const parentIndex = references.findIndex((reference) => reference.refType === 'CHILD_OF');
  const statusCode = take(tags, 'otel.status_code');
  const code = statusCode === 'ERROR' ? 2 : statusCode === 'OK' ? 1 : take(tags, 'error') === true ? 2 : 0;
  const kind = take(tags, 'span.kind');
  const resource: RecordAttributes = [...processTags];
  const serviceName = stringAt(process, 'serviceName');
  if (serviceName !== undefined) resource.push(['service.name', serviceName]);
  return {
    traceId,
    spanId,
    parentSpanId: parentIndex >= 0 ? (idOf(references[parentIndex]!.spanID, 8) ?? '') : '',
    name: stringAt(span, 'operationName') ?? '',
    kind: typeof kind === 'string' ? (KINDS[kind] ?? 0) : 0,
    startMicros: start,
    durationMicros: duration,
    // Tags synthesised from span fields are dropped by the canonical encoding itself.
    attributes: tags,
    events: arrayAt(span, 'logs')
      .filter(isObject)
      .map((log) => {
        const fields = readTags(log.fields);
        const name = take(fields, 'event');
        return {
          timeMicros: bigintOf(log.timestamp) ?? 0n,
          name: typeof name === 'string' ? name : '',
          attributes: fields.filter(([key]) => key !== 'event'),
        };
      }),
    links: references
      .filter((_, index) => index !== parentIndex)
      .map((reference) => ({ traceId: idOf(reference.traceID, 16) ?? '', spanId: idOf(reference.spanID, 8) ?? '' })),
    status: { code, message: String(take(tags, 'otel.status_description') ?? '') },
    resource,
    scope: {
      name: String(take(tags, 'otel.scope.name', 'otel.library.name') ?? ''),
      version: String(take(tags, 'otel.scope.version', 'otel.library.version') ?? ''),
    },
  };
}

export function isJaegerV1(document: JsonObject): boolean {
  return Array.isArray(document.data) && document.data.every((trace) => isObject(trace) && Array.isArray(trace.spans));
}

export function readJaegerV1(document: JsonObject): ReadOutcome {
  const outcome: ReadOutcome = { records: [], problems: [] };
  for (const trace of arrayAt(document, 'data')) {
    if (!isObject(trace)) continue;
    const processes = isObject(trace.processes) ? trace.processes : {};
    for (const span of arrayAt(trace, 'spans')) {
      if (!isObject(span)) continue;
      try {
        outcome.records.push(readSpan(span, processes));
      } catch (error) {
        outcome.problems.push(error instanceof ReadProblem ? error.message : 'a span could not be read');
      }
    }
  }
  return outcome;
}
