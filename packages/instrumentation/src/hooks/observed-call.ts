import type { Context } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';

/**
 * What a hook drives, in lifecycle order (response, chunks, end | cancel | error), whichever kind of
 * call it is: an LLM call (span/llm-call.ts) or an MCP call (mcp/mcp-call.ts). Nothing here throws.
 */
export interface ObservedCall {
  /** `parent` with this call's span in it: the context the request is sent under. */
  contextIn(parent: Context): Context;
  /** Response headers arrived; `header` reads one of them (lower-case name). */
  onResponse(statusCode: number, contentType: string | undefined, header?: (name: string) => string | undefined): void;
  onChunk(chunk: Uint8Array): void;
  /** True when the body is one JSON document, which the caller's `Response.json()` may parse for us. */
  readonly wantsWholeJson: boolean;
  /** The whole body as the caller's `Response.json()` parsed it (the call ends). */
  onWholeJson(value: unknown): void;
  /** The whole body as the caller's `Response.text()` read it (the call ends). */
  onWholeText(text: string): void;
  /** The caller's `Response.json()` found no JSON document (the call ends). */
  onWholeJsonInvalid(): void;
  onEnd(): void;
  onCancel(): void;
  onError(error: unknown): void;
  onAbandoned(): void;
  /** True once the call ended (its span's end is under way): nothing can abandon it any more. */
  readonly ended: boolean;
  /** The fetch `init` to send instead of the caller's (MCP: trace context in `params._meta`); undefined to send it as it is. */
  rewriteFetchInit?(init: RequestInit | undefined): RequestInit | undefined;
  /** The same for undici dispatch options. */
  rewriteDispatch?(options: Dispatcher.DispatchOptions): Dispatcher.DispatchOptions | undefined;
}
