import type { ObservedCall } from './observed-call';

type ReaderOf = (source: ReadableStream<Uint8Array>) => ReadableStreamDefaultReader<Uint8Array>;
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

/**
 * A Response like `response` whose body the span sees chunk by chunk as the caller pulls it (no
 * clone(), no tee(): they keep a cancelled generation running upstream and buffer without bound;
 * see DESIGN.md). `source` is the original's body stream. Throws when the Response cannot be
 * rebuilt (new Response rejects some statuses and reason phrases); the original is then untouched.
 */
export function wrapResponse(
  response: Response,
  source: ReadableStream<Uint8Array>,
  call: ObservedCall,
  abandoned: FinalizationRegistry<ObservedCall>,
  readerOf?: ReaderOf,
): Response {
  const body = pullThrough(source, call, readerOf);
  const wrapped = presentAs(new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers }), response);
  // On the body, not the Response: a caller may keep only `response.body` (or a reader of it)
  // and read on after the Response is collected (issue 8 item 13). The body stream is reachable
  // from the Response, from its readers and from clone()'s branches, so it is collected only
  // when nothing the caller holds can read it any more.
  abandoned.register(body, call);
  return wrapped;
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
export function pullThrough(
  source: ReadableStream<Uint8Array>,
  call: ObservedCall,
  // How the source's reader is made: the prototype's own getReader for a source tapped in place.
  readerOf: ReaderOf = (stream) => stream.getReader(),
): ReadableStream<Uint8Array> {
  const forwarder = new ChunkForwarder(source, call, readerOf);
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
    private readonly call: ObservedCall,
    private readonly readerOf: ReaderOf,
  ) {}

  pull(controller: ReadableByteStreamController): Promise<void> {
    this.controller = controller;
    this.reader ??= this.readerOf(this.source);
    return this.reader.read().then(this.onRead, this.onFailure);
  }

  cancel(reason: unknown): Promise<void> {
    this.call.onCancel();
    return this.reader ? this.reader.cancel(reason) : ReadableStream.prototype.cancel.call(this.source, reason);
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
