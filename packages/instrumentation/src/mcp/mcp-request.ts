import { now } from '../clock';
import { readHeader } from '../hooks/header-lookup';
import { requestBodyText } from '../hooks/request-body';

/**
 * Whether a POST's headers are an MCP client's. The Streamable HTTP transport (2025-03-26 onward)
 * requires `Accept` listing both `application/json` and `text/event-stream` on every POST, and
 * (2025-06-18 onward; every POST in 2026-07-28) `MCP-Protocol-Version` after initialisation. Some
 * real clients send only one of the two media types (python-sdk#2349, fastapi_mcp#233), so either
 * sign is enough. A non-MCP POST costs two header reads (bench/mcp/recognition.mjs, load average
 * 20: 0.3-0.4 µs for a record or undici's array of headers, 0.8-1.3 µs for a Headers object); an
 * MCP client's, one.
 */
export function looksLikeMcpPost(headers: unknown): boolean {
  const accept = readHeader(headers, 'accept');
  if (accept !== undefined && accept.includes('text/event-stream') && accept.includes('application/json')) return true;
  return readHeader(headers, 'mcp-protocol-version') !== undefined;
}

/** How much of the body the hook could read. */
export type BodyState = 'none' | 'unread' | 'not-json' | 'json';

/**
 * A POST whose headers say MCP, as a hook saw it. The hook fills in the body with readBody() (the
 * fetch hook at once, the undici hook once it can read it); the raw body is kept only until the
 * request is sent, for the `params._meta` rewrite.
 */
export class McpRequest {
  body: unknown = undefined;
  bodyState: BodyState = 'none';
  /** The caller's body as given, until sent (see McpCall.rewrite*). */
  raw: unknown = undefined;
  readonly startTime = now();

  constructor(
    readonly url: URL,
    private readonly headers: unknown,
  ) {}

  header(name: string): string | undefined {
    return readHeader(this.headers, name);
  }

  /** Parses the body (strings and bytes only, up to `maxBytes`) and remembers how far it got. */
  readBody(raw: unknown, maxBytes: number): unknown {
    this.raw = raw;
    if (raw === undefined || raw === null) return undefined;
    const text = requestBodyText(raw, maxBytes);
    if (text === undefined) {
      this.bodyState = 'unread';
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      this.bodyState = 'json';
      return parsed;
    } catch {
      this.bodyState = 'not-json';
      return undefined;
    }
  }
}
