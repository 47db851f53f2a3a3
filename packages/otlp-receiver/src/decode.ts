import { ExportTraceServiceRequest } from './otlp-schema';
import type { ReceivedAttributes, ReceivedSpan, ReceivedValue, ReceiverTransport } from './types';

/*
 * The decoded protobufjs messages, typed as far as this file reads them. int64/fixed64 fields arrive as
 * `Long` objects (protobufjs uses the `long` package when present) or as numbers/strings otherwise;
 * String() gives the exact decimal in every case.
 */
type Int64 = number | string | { toString(): string };

export interface DecodedAnyValue {
  /** protobufjs's virtual oneof property: the name of the field that is set. */
  value?: 'stringValue' | 'boolValue' | 'intValue' | 'doubleValue' | 'arrayValue' | 'kvlistValue' | 'bytesValue';
  stringValue?: string;
  boolValue?: boolean;
  intValue?: Int64;
  doubleValue?: number;
  arrayValue?: { values?: DecodedAnyValue[] } | null;
  kvlistValue?: { values?: DecodedKeyValue[] } | null;
  bytesValue?: Uint8Array;
}
export interface DecodedKeyValue {
  key?: string;
  value?: DecodedAnyValue | null;
}
interface DecodedSpan {
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  parentSpanId?: Uint8Array;
  name?: string;
  kind?: number;
  startTimeUnixNano?: Int64;
  endTimeUnixNano?: Int64;
  attributes?: DecodedKeyValue[];
  events?: { name?: string; timeUnixNano?: Int64; attributes?: DecodedKeyValue[] }[];
  links?: { traceId?: Uint8Array; spanId?: Uint8Array; attributes?: DecodedKeyValue[] }[];
  status?: { code?: number; message?: string } | null;
}
interface DecodedRequest {
  resourceSpans?: {
    resource?: { attributes?: DecodedKeyValue[] } | null;
    scopeSpans?: {
      scope?: { name?: string; version?: string } | null;
      schemaUrl?: string;
      spans?: DecodedSpan[];
    }[];
  }[];
}

/** Decodes a binary ExportTraceServiceRequest. Throws on malformed input. */
export function decodeProtobufExport(body: Uint8Array, transport: ReceiverTransport): ReceivedSpan[] {
  const message = ExportTraceServiceRequest.decode(body) as unknown as DecodedRequest;
  return flattenRequest(message, transport);
}

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest. OTLP/JSON differs from the standard protobuf JSON
 * mapping in that trace and span ids are hex, not base64; they are turned into bytes before protobufjs
 * reads the rest (camelCase names, int64 as strings or numbers, enums as integers). Throws on malformed
 * input.
 */
export function decodeJsonExport(text: string): ReceivedSpan[] {
  const json: unknown = JSON.parse(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new TypeError('OTLP/JSON body is not an object');
  }
  hexIdsToBytes(json);
  const message = ExportTraceServiceRequest.fromObject(json as Record<string, unknown>) as unknown as DecodedRequest;
  return flattenRequest(message, 'http/json');
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function hexIdsToBytes(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) hexIdsToBytes(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (ID_FIELDS.has(key) && typeof value === 'string') {
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(value)) throw new TypeError(`${key} is not hex: ${JSON.stringify(value)}`);
      record[key] = Buffer.from(value, 'hex');
    } else if (key !== 'attributes') {
      // Attribute values never hold ids; skipping them keeps a user attribute named `traceId` intact.
      hexIdsToBytes(value);
    }
  }
}

function flattenRequest(request: DecodedRequest, transport: ReceiverTransport): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = toAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      const scope: ReceivedSpan['scope'] = { name: scopeSpans.scope?.name ?? '' };
      if (scopeSpans.scope?.version) scope.version = scopeSpans.scope.version;
      if (scopeSpans.schemaUrl) scope.schemaUrl = scopeSpans.schemaUrl;
      for (const span of scopeSpans.spans ?? []) spans.push(toReceivedSpan(span, resource, scope, transport));
    }
  }
  return spans;
}

function toReceivedSpan(span: DecodedSpan, resource: ReceivedAttributes, scope: ReceivedSpan['scope'], transport: ReceiverTransport): ReceivedSpan {
  const received: ReceivedSpan = {
    traceId: toHex(span.traceId),
    spanId: toHex(span.spanId),
    name: span.name ?? '',
    kind: span.kind ?? 0,
    startTimeUnixNano: toBigInt(span.startTimeUnixNano),
    endTimeUnixNano: toBigInt(span.endTimeUnixNano),
    attributes: toAttributes(span.attributes),
    events: (span.events ?? []).map((event) => ({
      name: event.name ?? '',
      timeUnixNano: toBigInt(event.timeUnixNano),
      attributes: toAttributes(event.attributes),
    })),
    links: (span.links ?? []).map((link) => ({
      traceId: toHex(link.traceId),
      spanId: toHex(link.spanId),
      attributes: toAttributes(link.attributes),
    })),
    status: { code: span.status?.code ?? 0 },
    // Each span gets its own copies so a test that edits one span cannot change its neighbours.
    resource: structuredClone(resource),
    scope: { ...scope },
    transport,
  };
  const parentSpanId = toHex(span.parentSpanId);
  if (parentSpanId) received.parentSpanId = parentSpanId;
  if (span.status?.message) received.status.message = span.status.message;
  return received;
}

export function toAttributes(keyValues: DecodedKeyValue[] | undefined): ReceivedAttributes {
  const attributes: ReceivedAttributes = {};
  for (const keyValue of keyValues ?? []) attributes[keyValue.key ?? ''] = toValue(keyValue.value);
  return attributes;
}

export function toValue(value: DecodedAnyValue | null | undefined): ReceivedValue {
  switch (value?.value) {
    case 'stringValue':
      return value.stringValue ?? '';
    case 'boolValue':
      return value.boolValue ?? false;
    case 'intValue':
      return Number(String(value.intValue ?? 0));
    case 'doubleValue':
      return value.doubleValue ?? 0;
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(toValue);
    case 'kvlistValue':
      return toAttributes(value.kvlistValue?.values);
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? new Uint8Array()).toString('base64');
    default:
      return null;
  }
}

export function toHex(bytes: Uint8Array | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function toBigInt(value: Int64 | undefined): bigint {
  return value === undefined ? 0n : BigInt(String(value));
}
