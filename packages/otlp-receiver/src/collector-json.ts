import type { ReceivedAttributes, ReceivedSpan, ReceivedValue } from './types';

/*
 * What was received, written back as OTLP JSON the way the OpenTelemetry Collector's file exporter
 * writes it (hex ids, int64 as decimal strings, enums as integers): for tests that read spans back as a
 * backend would store them. The receiver decodes int64 to numbers, so an integral double comes back as
 * an intValue, the same loss Jaeger 1.x has.
 */

type AnyValue = Record<string, unknown>;

function anyValue(value: ReceivedValue): AnyValue {
  if (value === null) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: keyValues(value) } };
}

function keyValues(attributes: ReceivedAttributes): { key: string; value: AnyValue }[] {
  return Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) }));
}

function spanJson(span: ReceivedSpan): Record<string, unknown> {
  const json: Record<string, unknown> = {
    traceId: span.traceId,
    spanId: span.spanId,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    attributes: keyValues(span.attributes),
    events: span.events.map((event) => ({ timeUnixNano: event.timeUnixNano.toString(), name: event.name, attributes: keyValues(event.attributes) })),
    links: span.links.map((link) => ({ traceId: link.traceId, spanId: link.spanId, attributes: keyValues(link.attributes) })),
    status: span.status.message === undefined ? { code: span.status.code } : { code: span.status.code, message: span.status.message },
  };
  if (span.parentSpanId) json.parentSpanId = span.parentSpanId;
  return json;
}

/** One ExportTraceServiceRequest (as a JSON-ready object) holding `spans`, grouped by resource and scope. */
export function toOtlpJsonRequest(spans: readonly ReceivedSpan[]): { resourceSpans: unknown[] } {
  const resources = new Map<string, { resource: ReceivedAttributes; scopes: Map<string, { scope: ReceivedSpan['scope']; spans: unknown[] }> }>();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.resource);
    let resource = resources.get(resourceKey);
    if (!resource) {
      resource = { resource: span.resource, scopes: new Map() };
      resources.set(resourceKey, resource);
    }
    const scopeKey = JSON.stringify(span.scope);
    let scope = resource.scopes.get(scopeKey);
    if (!scope) {
      scope = { scope: span.scope, spans: [] };
      resource.scopes.set(scopeKey, scope);
    }
    scope.spans.push(spanJson(span));
  }
  return {
    resourceSpans: [...resources.values()].map(({ resource, scopes }) => ({
      resource: { attributes: keyValues(resource) },
      scopeSpans: [...scopes.values()].map(({ scope, spans: scopeSpans }) => ({
        scope: { name: scope.name, ...(scope.version ? { version: scope.version } : {}) },
        ...(scope.schemaUrl ? { schemaUrl: scope.schemaUrl } : {}),
        spans: scopeSpans,
      })),
    })),
  };
}
