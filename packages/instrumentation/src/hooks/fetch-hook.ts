import { context, diag } from '@opentelemetry/api';
import { now, type LlmCall } from '../span/llm-call';
import type { CallStarter } from './call-starter';
import { fetchHookScope } from './hook-scope';
import { headerLookup } from './header-lookup';
import { parseRequestBody } from './request-body';

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
  private readonly abandoned = new FinalizationRegistry<LlmCall>((call) => call.onAbandoned());

  constructor(
    private readonly starter: CallStarter,
    private readonly maxRequestBodyBytes: () => number,
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
    const call = this.startCall(input, init);
    if (!call) return original(input, init);
    let pending: Promise<Response>;
    try {
      pending = fetchHookScope.run(true, () => original(input, init));
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

  private startCall(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): LlmCall | undefined {
    try {
      const isRequest = typeof input === 'object' && input !== null && 'method' in input && !(input instanceof URL);
      const method = (init?.method ?? (isRequest ? (input as Request).method : 'GET')).toUpperCase();
      if (method !== 'POST') return undefined;
      const url = new URL(typeof input === 'string' ? input : isRequest ? (input as Request).url : (input as URL).href);
      const match = this.starter.match(method, url);
      if (!match) return undefined;
      // A Request's own body is a stream we must not consume; SDKs pass (url, init) with a string body.
      const body = parseRequestBody(init?.body, this.maxRequestBodyBytes());
      const headers = init?.headers ?? (isRequest ? (input as Request).headers : undefined);
      return this.starter.start(match, { method, url, body, header: headerLookup(headers), startTime: now(), parent: context.active() }, 'fetch');
    } catch (error) {
      diag.debug('llm-otel: fetch hook could not inspect a request', error);
      return undefined;
    }
  }

  private observe(response: Response, call: LlmCall): Response {
    try {
      call.onResponse(response.status, response.headers.get('content-type') ?? undefined);
      const source = response.body;
      if (!source) {
        call.onEnd();
        return response;
      }
      const wrapped = new Response(pullThrough(source, call), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      // Response's url, redirected and type cannot be passed to the constructor.
      Object.defineProperties(wrapped, {
        url: { value: response.url },
        redirected: { value: response.redirected },
        type: { value: response.type },
      });
      this.abandoned.register(wrapped, call);
      return wrapped;
    } catch (error) {
      diag.error('llm-otel: could not observe a response body; the response is returned untouched', error);
      call.onError(error);
      return response;
    }
  }
}

/**
 * A stream that reads one chunk from the source only when the caller asks for one
 * (highWaterMark 0), hands it over unchanged, and shows it to the span. Backpressure and
 * cancellation pass straight through.
 */
function pullThrough(source: ReadableStream<Uint8Array>, call: LlmCall): ReadableStream<Uint8Array> {
  // The source is locked only on the first read: if wrapping fails after this function returned
  // (new Response rejects some statuses and reason phrases), the caller still gets an unlocked body.
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= source.getReader();
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          call.onError(error);
          controller.error(error);
          return;
        }
        if (result.done) {
          controller.close();
          call.onEnd();
          return;
        }
        controller.enqueue(result.value);
        call.onChunk(result.value);
      },
      cancel(reason) {
        call.onCancel();
        return reader ? reader.cancel(reason) : source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
