import { context, diag } from '@opentelemetry/api';
import type { ResolvedConfig } from '../config';
import { guarded } from '../guard';
import type { LlmCall } from '../span/llm-call';
import type { CallStarter } from './call-starter';
import { runMarkedAsFetchHook } from './hook-scope';
import { refusedResponse } from './outgoing-request';
import type { Refusal } from '../span/before-send';
import { parseRequestBody } from './request-body';
import { initWithHeaders, withTraceContext } from './trace-context';

type Fetch = typeof globalThis.fetch;
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

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
    const started = this.startCall(input, init);
    if (!started) return original(input, init);
    const { call, refusal } = started;
    // The request is sent under the LLM span: the HTTP span of @opentelemetry/instrumentation-undici,
    // created when undici creates the request, becomes its child (DESIGN.md, "Beside the stock
    // instrumentations").
    const sentUnder = call.contextIn(context.active());
    // A Request's headers cannot be extended without making a new Request around its body.
    const propagate = this.config.propagateTraceContext && !isRequest(input);
    const sentInit = propagate ? withTraceContext(init, sentUnder, initWithHeaders) : init;
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

  private startCall(input: Parameters<Fetch>[0], init: Parameters<Fetch>[1]): { call: LlmCall; refusal: Refusal | undefined } | undefined {
    const request = isRequest(input) ? input : undefined;
    const url = typeof input === 'string' ? input : request ? request.url : (input as URL);
    const inspected = this.starter.inspect(init?.method ?? request?.method ?? 'GET', url, undefined, init?.headers ?? request?.headers);
    if (!inspected) return undefined;
    // A Request's own body is a stream we must not consume; SDKs pass (url, init) with a string body.
    inspected.body = guarded('reading a request body', () => parseRequestBody(init?.body, this.config.maxRequestBodyBytes), undefined);
    const refusal = this.starter.refusal(inspected, context.active());
    const call = this.starter.start(inspected, 'fetch', context.active());
    return call && { call, refusal };
  }

  private observe(response: Response, call: LlmCall): Response {
    try {
      call.onResponse(response.status, response.headers.get('content-type') ?? undefined);
      const source = response.body;
      if (!source) {
        call.onEnd();
        return response;
      }
      const body = pullThrough(source, call);
      const wrapped = presentAs(
        new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }),
        response,
      );
      // On the body, not the Response: a caller may keep only `response.body` (or a reader of it)
      // and read on after the Response is collected (issue 8 item 13). The body stream is reachable
      // from the Response, from its readers and from clone()'s branches, so it is collected only
      // when nothing the caller holds can read it any more.
      this.abandoned.register(body, call);
      return wrapped;
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

/**
 * Makes the wrapper answer like the Response fetch returned. `url`, `redirected` and `type` cannot
 * be passed to the constructor, and a constructed Response's headers are mutable while fetch's are
 * immutable (`headers.set` throws TypeError): the original's values and its immutable Headers are
 * set as own non-enumerable properties (Object.keys and JSON are unchanged). clone() would lose them,
 * so it hands them on to the copy (which shares the original's immutable Headers object).
 */
function presentAs(wrapped: Response, original: Response): Response {
  Object.defineProperties(wrapped, {
    url: { value: original.url },
    redirected: { value: original.redirected },
    type: { value: original.type },
    headers: { value: original.headers },
    clone: {
      value: function clone(this: Response): Response {
        const copy = Response.prototype.clone.call(this);
        return this === wrapped ? presentAs(copy, original) : copy;
      },
    },
  });
  return wrapped;
}

/**
 * A stream that reads one chunk from the source only when the caller asks for one
 * (highWaterMark 0), hands it over unchanged, and shows it to the span. Backpressure and
 * cancellation pass straight through. It is a byte stream, as fetch's own body is, so that
 * `getReader({ mode: 'byob' })` works as without us (issue 8 item 15).
 */
function pullThrough(source: ReadableStream<Uint8Array>, call: LlmCall): ReadableStream<Uint8Array> {
  const forwarder = new ChunkForwarder(source, call);
  return new ReadableStream(
    {
      type: 'bytes',
      pull: (controller) => forwarder.pull(controller),
      cancel: (reason) => forwarder.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * The pull-through's state and its two read callbacks, made once per body: a chunk costs one
 * `read()` and no closure or async-function frame (an async pull was 5-6 µs of a 12-chunk stream in
 * bench/overhead's profile, issue 11).
 */
class ChunkForwarder {
  // The source is locked only on the first read: if wrapping fails after pullThrough() returned
  // (new Response rejects some statuses and reason phrases), the caller still gets an unlocked body.
  private reader?: ReadableStreamDefaultReader<Uint8Array>;
  private controller?: ReadableByteStreamController;

  constructor(
    private readonly source: ReadableStream<Uint8Array>,
    private readonly call: LlmCall,
  ) {}

  pull(controller: ReadableByteStreamController): Promise<void> {
    this.controller = controller;
    this.reader ??= this.source.getReader();
    return this.reader.read().then(this.onRead, this.onFailure);
  }

  cancel(reason: unknown): Promise<void> {
    this.call.onCancel();
    return this.reader ? this.reader.cancel(reason) : this.source.cancel(reason);
  }

  private readonly onRead = (result: ReadResult): Promise<void> | undefined => {
    const controller = this.controller!;
    if (result.done) {
      controller.close();
      // A BYOB read waiting at the end is settled (done) only by a zero-byte response.
      controller.byobRequest?.respond(0);
      this.call.onEnd();
      return undefined;
    }
    const chunk = result.value;
    // A byte stream cannot carry an empty chunk; it carries no bytes either, so skip it.
    if (chunk.byteLength === 0) return this.reader!.read().then(this.onRead, this.onFailure);
    // The caller's read settles only after this returns, so showing the chunk first adds no delay.
    this.call.onChunk(chunk);
    try {
      // A byte stream takes ownership of each chunk it is given (its buffer is detached), and a
      // plain stream's chunks may be shared with whoever made them (a custom fetch reusing one
      // buffer): what is handed on is a copy. Telling a byte stream from a plain one before reading
      // costs a BYOB reader and, for a plain stream, a TypeError whose message is formatted with
      // util.inspect: 9 µs per call in the profile, more than copying a typical body (issue 11).
      controller.enqueue(new Uint8Array(chunk));
    } catch (error) {
      // Not bytes at all (a custom fetch's stream of strings): the caller's read fails with the
      // same TypeError reading the original body would give.
      this.call.onError(error);
      throw error;
    }
    return undefined;
  };

  private readonly onFailure = (error: unknown): void => {
    this.call.onError(error);
    this.controller!.error(error);
  };
}
