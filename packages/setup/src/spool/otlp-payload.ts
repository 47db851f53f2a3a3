/*
 * The few edits the spool makes to a stored OTLP ExportTraceServiceRequest without decoding spans:
 * splitting it (a backend answered 413: too large) and putting a settled resource in place of one that
 * was still waiting for asynchronous attributes. Both work on the protobuf wire format only:
 *
 *   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
 *   ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
 *   ScopeSpans    { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
 *
 * A request is a sequence of field-1 records, so requests concatenated are one valid request. The parts
 * of a split hold the original spans' bytes unchanged, in their original order, each under its own
 * resource and scope.
 */
const LEN = 2;
const RESOURCE = 1;
const SCOPE_SPANS = 2;
const SPANS = 2;

interface Field {
  number: number;
  wireType: number;
  /** The whole field, tag included. */
  raw: Uint8Array;
  /** The content of a length-delimited field. */
  content: Uint8Array;
}

interface ScopeGroup {
  /** Every field but the spans (scope, schema_url), encoded as they came. */
  head: Uint8Array[];
  spans: Uint8Array[];
}

interface ResourceGroup {
  /** The resource field (undefined when absent), then every other field but the scope groups. */
  resource: Uint8Array | undefined;
  rest: Uint8Array[];
  scopes: ScopeGroup[];
}

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.byteLength && i < at + 10; i++) {
    const byte = bytes[i];
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('malformed protobuf: truncated varint');
}

function fields(bytes: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < bytes.byteLength) {
    const start = at;
    const [tag, afterTag] = readVarint(bytes, at);
    const wireType = tag % 8;
    let contentStart = afterTag;
    let end: number;
    if (wireType === 0) end = readVarint(bytes, afterTag)[1];
    else if (wireType === 1) end = afterTag + 8;
    else if (wireType === 5) end = afterTag + 4;
    else if (wireType === LEN) {
      const [length, afterLength] = readVarint(bytes, afterTag);
      contentStart = afterLength;
      end = afterLength + length;
    } else throw new Error(`malformed protobuf: wire type ${wireType}`);
    if (end > bytes.byteLength) throw new Error('malformed protobuf: field runs past the end');
    out.push({ number: Math.floor(tag / 8), wireType, raw: bytes.subarray(start, end), content: bytes.subarray(contentStart, end) });
    at = end;
  }
  return out;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

function lengthDelimited(fieldNumber: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.byteLength, 0);
  return concat([Uint8Array.from([...varint(fieldNumber * 8 + LEN), ...varint(length)]), ...parts]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

function isLen(field: Field, number: number): boolean {
  return field.number === number && field.wireType === LEN;
}

function parseRequest(payload: Uint8Array): ResourceGroup[] {
  return fields(payload)
    .filter((field) => isLen(field, 1))
    .map((resourceSpans) => {
      const group: ResourceGroup = { resource: undefined, rest: [], scopes: [] };
      for (const field of fields(resourceSpans.content)) {
        if (isLen(field, RESOURCE)) group.resource = field.raw;
        else if (isLen(field, SCOPE_SPANS)) {
          const scope: ScopeGroup = { head: [], spans: [] };
          for (const inner of fields(field.content)) {
            if (isLen(inner, SPANS)) scope.spans.push(inner.raw);
            else scope.head.push(inner.raw);
          }
          group.scopes.push(scope);
        } else group.rest.push(field.raw);
      }
      return group;
    });
}

function encodeRequest(groups: readonly ResourceGroup[]): Uint8Array {
  return concat(
    groups.map((group) =>
      lengthDelimited(1, [
        ...(group.resource ? [group.resource] : []),
        ...group.scopes.map((scope) => lengthDelimited(SCOPE_SPANS, [...scope.head, ...scope.spans])),
        ...group.rest,
      ]),
    ),
  );
}

export function countSpans(payload: Uint8Array): number {
  let spans = 0;
  for (const group of parseRequest(payload)) for (const scope of group.scopes) spans += scope.spans.length;
  return spans;
}

/** Two requests with the first and second half of the spans, each under its resource and scope; undefined for one span or none. */
export function splitRequest(payload: Uint8Array): [first: Uint8Array, firstSpans: number, second: Uint8Array, secondSpans: number] | undefined {
  const groups = parseRequest(payload);
  const total = groups.reduce((sum, group) => sum + group.scopes.reduce((n, scope) => n + scope.spans.length, 0), 0);
  if (total < 2) return undefined;
  const half = Math.floor(total / 2);
  const first: ResourceGroup[] = [];
  const second: ResourceGroup[] = [];
  let seen = 0;
  for (const group of groups) {
    const a: ResourceGroup = { ...group, scopes: [] };
    const b: ResourceGroup = { ...group, scopes: [] };
    for (const scope of group.scopes) {
      const take = Math.max(0, Math.min(scope.spans.length, half - seen));
      if (take > 0) a.scopes.push({ head: scope.head, spans: scope.spans.slice(0, take) });
      if (take < scope.spans.length) b.scopes.push({ head: scope.head, spans: scope.spans.slice(take) });
      seen += scope.spans.length;
    }
    if (a.scopes.length > 0) first.push(a);
    if (b.scopes.length > 0) second.push(b);
  }
  return [encodeRequest(first), half, encodeRequest(second), total - half];
}

/** The same request with every ResourceSpans' resource replaced by `resourceField` (an encoded field 1). */
export function replaceResource(payload: Uint8Array, resourceField: Uint8Array): Uint8Array {
  return encodeRequest(parseRequest(payload).map((group) => ({ ...group, resource: resourceField })));
}

/** The encoded resource field of the first ResourceSpans of a request; undefined if it has none. */
export function resourceFieldOf(payload: Uint8Array): Uint8Array | undefined {
  return parseRequest(payload)[0]?.resource;
}

export function concatRequests(parts: readonly Uint8Array[]): Uint8Array {
  return concat(parts);
}
