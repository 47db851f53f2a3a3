/** A request as the stand-in received it. */
export interface RecordedRequest {
  method: string;
  /** Path with query string, e.g. `/v1/messages?beta=true`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Exactly what to answer. Bytes go out as given: no re-encoding, no reformatting. */
export interface ScriptedResponse {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A body sent in one write (with content-length unless gzip or destroyAfterChunks). */
  body?: string | Uint8Array;
  /** A body sent as separate writes (chunked transfer encoding), e.g. one SSE event each. */
  chunks?: (string | Uint8Array)[];
  /** Pause between chunks, milliseconds. */
  chunkDelayMs?: number;
  /** Send gzip-compressed with `content-encoding: gzip`, flushed after every chunk. */
  gzip?: boolean;
  /** Send this many chunks (a `body` counts as one), then destroy the socket: a truncated response. */
  destroyAfterChunks?: number;
  /** Never answer (the request stays open until the client gives up or the stand-in closes). */
  hang?: boolean;
  /**
   * A generated body of exactly this many bytes, streamed from a generator and never held in memory:
   * JSON shaped like an OpenAI chat completion whose content is one long string and whose usage comes
   * at the end.
   */
  generatedJsonBytes?: number;
}

export interface ScriptedRoute {
  /** Any method when absent. */
  method?: string;
  /**
   * A string matches the request path exactly; when it has no `?` it also matches the path with any
   * query. A RegExp is tested against the path with its query.
   */
  path: string | RegExp;
  /** How many requests this route answers; unlimited when absent. */
  times?: number;
  respond: ScriptedResponse | ((request: RecordedRequest) => ScriptedResponse);
}

export type ScenarioName = 'realistic-chat';

export interface ProviderStandInOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Routes installed at start, e.g. `realistic-chat` (see realisticChatRoutes). */
  scenario?: ScenarioName;
  /** Keep every request in `requests`; default true. Long benchmarks turn it off to keep memory flat. */
  recordRequests?: boolean;
}

export interface ProviderStandIn {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  /** Every request received, in arrival order (empty when recordRequests is false). */
  requests: RecordedRequest[];
  /** Adds a route; routes are tried newest first. */
  script(route: ScriptedRoute): void;
  /** Stops the server and ends every open response. */
  close(): Promise<void>;
}
