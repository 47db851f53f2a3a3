/**
 * What an MCP span needs from one JSON-RPC message a client POSTs, read from untrusted JSON with
 * narrow readers. MCP over Streamable HTTP sends one message per POST (JSON-RPC batches were
 * allowed by protocol version 2025-03-26 only and removed in 2025-06-18).
 */
export type ClientMessage =
  /** A request (`id` present) or a notification (no `id`): both get a client span (semconv v1.41 mcp.md, "Client"). */
  | { kind: 'call'; method: string; id?: string; params?: Record<string, unknown> }
  /** A response to a server-initiated request (sampling, elicitation): the span belongs to that request, not to this POST. */
  | { kind: 'response' }
  /** A JSON-RPC batch: neither traced nor changed (see README, "MCP"). */
  | { kind: 'batch' }
  /** Not a JSON-RPC 2.0 message: traced as such when the headers say MCP, never changed. */
  | { kind: 'invalid'; reason: string };

// Names and ids from the wire are cut before they become span names or attributes.
const MAX_NAME_LENGTH = 256;

export function readClientMessage(body: unknown): ClientMessage {
  if (Array.isArray(body)) return { kind: 'batch' };
  if (typeof body !== 'object' || body === null) return { kind: 'invalid', reason: 'the request body is not a JSON-RPC object' };
  const message = body as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return { kind: 'invalid', reason: 'the request body has no "jsonrpc": "2.0"' };
  if (typeof message.method !== 'string') {
    if ('result' in message || 'error' in message) return { kind: 'response' };
    return { kind: 'invalid', reason: 'the JSON-RPC message has no method' };
  }
  const params = message.params;
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    return { kind: 'invalid', reason: 'the JSON-RPC params are not an object' };
  }
  return { kind: 'call', method: cut(message.method), id: requestId(message.id), params: params as Record<string, unknown> | undefined };
}

/** `jsonrpc.request.id`: a string or a number as a string; not recorded for `null` or when omitted (semconv). */
function requestId(id: unknown): string | undefined {
  if (typeof id === 'string') return cut(id);
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  return undefined;
}

/** A string field of `params`, cut to a bounded length; undefined when absent or not a string. */
export function stringParam(params: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = params?.[name];
  return typeof value === 'string' ? cut(value) : undefined;
}

export function cut(value: string): string {
  return value.length > MAX_NAME_LENGTH ? value.slice(0, MAX_NAME_LENGTH) : value;
}
