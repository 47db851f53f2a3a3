/*
 * What Jaeger and Tempo return for spans they received over OTLP, built from their public API
 * documentation and the Collector's OpenTelemetry-to-Jaeger translator rules
 * (opentelemetry-collector-contrib pkg/translator/jaeger/README.md):
 *
 * - Jaeger 1.x (tested shape: 1.5x-1.7x) GET /api/traces/<id>: {"data": [{traceID, spans, processes}]},
 *   microsecond times, typed tags; kind as the `span.kind` tag (none for INTERNAL), status as
 *   `otel.status_code`/`otel.status_description` plus `error: true`, scope as `otel.scope.name`/`.version`,
 *   arrays as the JSON text of the array, events as logs with an `event` field, links as FOLLOWS_FROM
 *   references without attributes, trace state dropped; Jaeger adds `internal.span.format`.
 * - Jaeger 2.x GET /api/v3/traces/<id>: {"result": TracesData} in OTLP JSON (hex ids).
 * - Tempo 2.x GET /api/traces/<id>: {"batches": [ResourceSpans]} and GET /api/v2/traces/<id>:
 *   {"trace": TracesData}, in the protobuf JSON mapping: base64 ids, enum names, int64 as strings.
 */

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events: { timeUnixNano: string; name: string; attributes: KeyValue[] }[];
  links: { traceId: string; spanId: string; attributes: KeyValue[] }[];
  status: { code: number; message?: string };
}
interface ResourceSpans {
  resource: { attributes: KeyValue[] };
  scopeSpans: { scope: { name: string; version?: string }; spans: OtlpSpan[] }[];
}
export interface OtlpRequest {
  resourceSpans: ResourceSpans[];
}

interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
}

function plain(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return value.arrayValue.values.map(plain);
  if (value.kvlistValue) return Object.fromEntries(value.kvlistValue.values.map((pair) => [pair.key, plain(pair.value)]));
  return null;
}

function jaegerTag(pair: KeyValue): JaegerTag {
  const { value } = pair;
  if (value.stringValue !== undefined) return { key: pair.key, type: 'string', value: value.stringValue };
  if (value.boolValue !== undefined) return { key: pair.key, type: 'bool', value: value.boolValue };
  if (value.intValue !== undefined) return { key: pair.key, type: 'int64', value: Number(value.intValue) };
  if (value.doubleValue !== undefined) return { key: pair.key, type: 'float64', value: value.doubleValue };
  // Arrays and maps: the JSON text, in a string tag.
  return { key: pair.key, type: 'string', value: JSON.stringify(plain(value)) };
}

const micros = (nanos: string) => Number(BigInt(nanos) / 1000n);
const KIND_TAGS = ['', '', 'server', 'client', 'producer', 'consumer'];

export function toJaegerV1(request: OtlpRequest): unknown {
  const traces = new Map<string, { traceID: string; spans: unknown[]; processes: Record<string, unknown> }>();
  let processCount = 0;
  for (const group of request.resourceSpans) {
    const processID = `p${++processCount}`;
    const serviceName = group.resource.attributes.find((pair) => pair.key === 'service.name')?.value.stringValue ?? 'OTLPResourceNoServiceName';
    const process = { serviceName, tags: group.resource.attributes.filter((pair) => pair.key !== 'service.name').map(jaegerTag) };
    for (const { scope, spans } of group.scopeSpans) {
      for (const span of spans) {
        let trace = traces.get(span.traceId);
        if (!trace) {
          trace = { traceID: span.traceId, spans: [], processes: {} };
          traces.set(span.traceId, trace);
        }
        trace.processes[processID] = process;
        const tags: JaegerTag[] = span.attributes.map(jaegerTag);
        tags.push({ key: 'otel.scope.name', type: 'string', value: scope.name });
        if (scope.version) tags.push({ key: 'otel.scope.version', type: 'string', value: scope.version });
        if (KIND_TAGS[span.kind]) tags.push({ key: 'span.kind', type: 'string', value: KIND_TAGS[span.kind]! });
        if (span.status.code === 1) tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
        if (span.status.code === 2) {
          tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' }, { key: 'error', type: 'bool', value: true });
          if (span.status.message) tags.push({ key: 'otel.status_description', type: 'string', value: span.status.message });
        }
        tags.push({ key: 'internal.span.format', type: 'string', value: 'otlp' });
        const references = [
          ...(span.parentSpanId ? [{ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId }] : []),
          ...span.links.map((link) => ({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId })),
        ];
        const start = BigInt(span.startTimeUnixNano);
        trace.spans.push({
          traceID: span.traceId,
          spanID: span.spanId,
          operationName: span.name,
          references,
          startTime: micros(span.startTimeUnixNano),
          duration: Number((BigInt(span.endTimeUnixNano) - start) / 1000n),
          tags,
          logs: span.events.map((event) => ({
            timestamp: micros(event.timeUnixNano),
            fields: [{ key: 'event', type: 'string', value: event.name }, ...event.attributes.map(jaegerTag)],
          })),
          processID,
          warnings: null,
        });
      }
    }
  }
  return { data: [...traces.values()], total: 0, limit: 0, offset: 0, errors: null };
}

const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Tempo's protobuf JSON: base64 ids, enum names; the attribute order reversed, as nothing promises it. */
function tempoResourceSpans(request: OtlpRequest): unknown[] {
  return request.resourceSpans.map((group) => ({
    resource: { attributes: [...group.resource.attributes].reverse() },
    scopeSpans: group.scopeSpans.map(({ scope, spans }) => ({
      scope,
      spans: spans.map((span) => ({
        ...span,
        traceId: base64(span.traceId),
        spanId: base64(span.spanId),
        ...(span.parentSpanId ? { parentSpanId: base64(span.parentSpanId) } : {}),
        kind: KIND_NAMES[span.kind],
        attributes: [...span.attributes].reverse(),
        links: span.links.map((link) => ({ ...link, traceId: base64(link.traceId), spanId: base64(link.spanId) })),
        status: span.status.code === 0 ? {} : { ...span.status, code: STATUS_NAMES[span.status.code] },
      })),
    })),
  }));
}

export function toTempoV1(request: OtlpRequest): unknown {
  return { batches: tempoResourceSpans(request) };
}

export function toTempoV2(request: OtlpRequest): unknown {
  return { trace: { resourceSpans: tempoResourceSpans(request) }, status: 'COMPLETE' };
}

export function toJaegerV3(request: OtlpRequest): unknown {
  return { result: { resourceSpans: request.resourceSpans } };
}
