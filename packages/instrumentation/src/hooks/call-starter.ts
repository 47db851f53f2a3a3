import type { Context } from '@opentelemetry/api';
import { now } from '../clock';
import { guarded } from '../guard';
import type { LlmRequest } from '../providers/adapter';
import { McpCall } from '../mcp/mcp-call';
import { looksLikeMcpPost, McpRequest } from '../mcp/mcp-request';
import type { EndpointMatch, EndpointRegistry } from '../providers/registry';
import { LlmCall, type CallEnvironment, type HookName } from '../span/llm-call';
import { readHeader } from './header-lookup';
import type { ObservedCall } from './observed-call';
import { parseRequestBody } from './request-body';

/**
 * A request the registry recognised as a possible LLM call, as the adapters read it. Built once, by
 * CallStarter.inspect(), whichever hook saw the request: the hook only fills in `body` once it can
 * read it (the fetch hook at once, the undici hook after the body was sent).
 */
export class InspectedRequest implements LlmRequest {
  body: unknown = undefined;
  /** Set by the hook when the body was not parsed for being over `maxRequestBodyBytes`. */
  bodyOverBound = false;
  /** When the hook saw the request: the span's start time. */
  readonly startTime = now();

  constructor(
    readonly method: string,
    readonly url: URL,
    readonly match: EndpointMatch,
    /** Whatever form the caller passed them in; read lazily, never copied. */
    private readonly headers: unknown,
  ) {}

  header(name: string): string | undefined {
    return readHeader(this.headers, name);
  }

  /** The body's JSON, read within `maxBytes` (over it: `bodyOverBound`, for the request fingerprint). */
  readBody(raw: unknown, maxBytes: number): unknown {
    return parseRequestBody(raw, maxBytes, this);
  }
}

/**
 * The one door from a hook into the span lifecycle: recognises a request (method, URL, registry)
 * and starts its span. Both hooks use it, so recognition works the same whichever hook sees the call.
 */
export class CallStarter {
  constructor(
    private readonly registry: EndpointRegistry,
    private readonly env: () => CallEnvironment,
  ) {}

  /**
   * Recognises a request from method and URL alone (`url` resolved against `base`, as undici's path
   * and origin); undefined for anything that cannot be an LLM call. Never throws.
   */
  inspect(method: string | undefined, url: string | URL, base: string | URL | undefined, headers: unknown): InspectedRequest | McpRequest | undefined {
    // POST only: no URL is parsed for the GETs and HEADs that make most of an app's traffic.
    if (method === undefined || (method !== 'POST' && method.toUpperCase() !== 'POST')) return undefined;
    return guarded(
      'recognising a request',
      () => {
        const parsed = new URL(url, base);
        const match = this.registry.match('POST', parsed);
        if (match) return new InspectedRequest('POST', parsed, match, headers);
        // MCP servers live at any URL: their clients' headers say what they are (mcp/mcp-request.ts).
        return this.env().config.mcp.enabled && looksLikeMcpPost(headers) ? new McpRequest(parsed, headers) : undefined;
      },
      undefined,
    );
  }

  /** Starts the span of an inspected request; undefined when it is not an LLM call after all. */
  start(request: InspectedRequest | McpRequest, hook: HookName, parent: Context): ObservedCall | undefined {
    if (request instanceof McpRequest) return guarded('starting an MCP span', () => McpCall.start(this.env(), request, hook, parent), undefined);
    return guarded('starting a span', () => LlmCall.start(this.env(), request.match, request, hook, request.startTime, parent), undefined);
  }
}
