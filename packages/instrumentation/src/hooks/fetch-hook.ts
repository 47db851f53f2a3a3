import { context, diag, type Context } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config';
import { guarded } from '../guard';
import type { CallStarter } from './call-starter';
import { runMarkedAsFetchHook } from './hook-scope';
import type { ObservedCall } from './observed-call';
import { hasFetchBody, loadFetchPrototypes, observeInPlace } from './observed-response';
import { refusedResponse } from './outgoing-request';
import type { Refusal } from '../span/before-send';
import { initWithHeaders, withTraceContext } from './trace-context';

type Fetch = typeof globalThis.fetch;

/**
 * Wraps `globalThis.fetch`. It sees request parameters and the decoded response on every Node
 * version, but not clients that captured `fetch` before it was installed (openai and
 * @anthropic-ai/sdk capture it in their constructor): the undici hook covers those.
 *
 * The response body is observed as the caller pulls it (no clone(), no tee(): they keep a cancelled
 * generation running upstream and buffer without bound; see DESIGN.md).
 */
export class FetchHook {
  private original?: Fetch;
  private installed?: Fetch;
  private active = false;
  // Responses whose body was never read to the end still end their span when collected.
  private readonly abandoned = new FinalizationRegistry<ObservedCall>((call) => call.onAbandoned());

  constructor(
    private readonly starter: CallStarter,
    private readonly config: Pick<ResolvedConfig, 'maxRequestBodyBytes' | 'propagateTraceContext'>,
  ) {}

  install(): void {
    if (this.active) return;
    this.active = true;
    if (this.installed && globalThis.fetch === this.installed) return;
    const original = globalThis.fetch;
    if (typeof original !== 'function') {
      diag.warn('llm-otel: globalThis.fetch does not exist; the fetch hook is not installed');
      return;
    }
    this.original = original;
    // The Response and ReadableStream of this moment, as the fetch is (observed-response.ts).
    guarded('reading the fetch classes', () => void loadFetchPrototypes(), undefined);
    const hook = this;
    const instrumentedFetch = function fetch(input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]): Promise<Response> {
      return hook.fetch(original, input, init);
    } as Fetch;
    this.installed = instrumentedFetch;
    globalThis.fetch = instrumentedFetch;
  }

  uninstall(): void {
    this.active = false;
    // If someone wrapped our wrapper since, leave it in place: it passes through while inactive.
    if (this.installed && globalThis.fetch === this.installed && this.original) globalThis.fetch = this.original;
  }

  private fetch(original: Fetch, input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): Promise<Response> {
    if (!this.active) return original(input, init);
    // Read once: each context.active() is a global lookup and an AsyncLocalStorage read.
    const active = context.active();
    const started = this.startCall(input, init, active);
    if (!started) return original(input, init);
    const { call, refusal } = started;
    // The request is sent under the LLM span: the HTTP span of @opentelemetry/instrumentation-undici,
    // created when undici creates the request, becomes its child (DESIGN.md, "Beside the stock
    // instrumentations").
    const sentUnder = call.contextIn(active);
    // A Request's headers cannot be extended without making a new Request around its body.
    const propagate = this.config.propagateTraceContext && !isRequest(input);
    const withHeaders = propagate ? withTraceContext(init, sentUnder, initWithHeaders) : init;
    // MCP: trace context into params._meta (mcp/mcp-call.ts); undefined sends the body untouched.
    const sentInit = call.rewriteFetchInit?.(withHeaders) ?? withHeaders;
    let pending: Promise<Response>;
    try {
      // A budget's hard stop: the request is never sent; the SDK reads the refusal as the provider's error.
      pending = refusal ? Promise.resolve(refusedResponse(refusal)) : runMarkedAsFetchHook(sentUnder, () => original(input, sentInit));
    } catch (error) {
      call.onError(error);
      throw error;
    }
    return pending.then(
      (response) => this.observe(response, call),
      (error: unknown) => {
        call.onError(error);
        throw error;
      },
    );
  }

  private startCall(
    input: Parameters<Fetch>[0],
    init: Parameters<Fetch>[1],
    active: Context,
  ): { call: ObservedCall; refusal: Refusal | undefined } | undefined {
    const request = isRequest(input) ? input : undefined;
    const url = typeof input === 'string' ? input : request ? request.url : (input as URL);
    const inspected = this.starter.inspect(init?.method ?? request?.method ?? 'GET', url, undefined, init?.headers ?? request?.headers);
    if (!inspected) return undefined;
    // A Request's own body is a stream we must not consume; SDKs pass (url, init) with a string body.
    inspected.body = guarded('reading a request body', () => inspected.readBody(init?.body, this.config.maxRequestBodyBytes), undefined);
    const refusal = this.starter.refusal(inspected, active);
    const call = this.starter.start(inspected, 'fetch', active);
    return call && { call, refusal };
  }

  private observe(response: Response, call: ObservedCall): Response {
    try {
      call.onResponse(response.status, response.headers.get('content-type') ?? undefined, (name) => response.headers.get(name) ?? undefined);
      // No body, or a Response that is not fetch's own (a polyfill's): returned untouched, unread.
      if (!hasFetchBody(response)) {
        call.onEnd();
        return response;
      }
      return observeInPlace(response, call, this.abandoned);
    } catch (error) {
      diag.warn('llm-otel: observing a response body failed; the response is returned untouched', error);
      call.onError(error);
      return response;
    }
  }
}

function isRequest(input: Parameters<Fetch>[0]): input is Request {
  return typeof input === 'object' && input !== null && 'method' in input && !(input instanceof URL);
}
