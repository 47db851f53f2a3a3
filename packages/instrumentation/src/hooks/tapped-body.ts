import type { ObservedCall } from './observed-call';
import { defineOwn, ownProperties } from './own-properties';
import { privateSlot } from './private-slot';
import { pullThrough } from './response-wrapper';

type Chunk = Uint8Array;
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Chunk>['read']>>;
type Reader = ReadableStreamDefaultReader<Chunk> | ReadableStreamBYOBReader;

type ProtoMethods = Record<'cancel' | 'pipeTo' | 'pipeThrough' | 'tee', (this: unknown, ...args: unknown[]) => unknown>;
// Read by loadStreamPrototype(), with Response's (observed-response.ts says when), not at import.
let streamProto: ReadableStream<Chunk>;
let protoGetReader: (this: ReadableStream<Chunk>, options?: { mode?: 'byob' }) => Reader;
let protoValues: (this: ReadableStream<Chunk>, options?: unknown) => AsyncIterableIterator<Chunk>;
let protoMethods: ProtoMethods;

/** The global ReadableStream's prototype (reading it loads Node's web streams: ~8-10 ms in an empty process). */
export function loadStreamPrototype(): void {
  if (streamProto) return;
  streamProto = ReadableStream.prototype;
  protoGetReader = streamProto.getReader as typeof protoGetReader;
  protoValues = (streamProto as unknown as { values: typeof protoValues }).values;
  protoMethods = streamProto as unknown as ProtoMethods;
}

/**
 * Lets the span see a body's chunks as the caller reads them from fetch's own stream, which the
 * caller gets unchanged (issue 11: a second ReadableStream per body, its pull machinery and a copy of
 * every chunk were most of what llm-otel added to a streamed call in bench/peers' profile). The
 * readers and iterators the stream hands out are fetch's own, with their `read`/`next` tapped: each
 * result is shown to the span before the caller gets it (the caller's chunk itself, read and never
 * kept). Ways of reading that run inside the stream implementation (`pipeTo`, `pipeThrough`, `tee`)
 * go through the pull-through wrapper instead, made on first use. The own properties are
 * non-enumerable and configurable, like the prototype's.
 */
export function tapBody(stream: ReadableStream<Chunk>, call: ObservedCall): ReadableStream<Chunk> {
  loadStreamPrototype();
  taps.set(stream, new Tap(stream, call));
  defineOwn(stream, streamMethods);
  return stream;
}

/** What the shared stream methods need of one tapped stream. */
class Tap {
  private piped?: ReadableStream<Chunk>;
  readonly onResult = (result: ReadResult): ReadResult => {
    if (result.done) this.call.onEnd();
    else if (result.value.byteLength > 0) this.call.onChunk(result.value);
    return result;
  };
  readonly onFailure = (error: unknown): never => {
    this.call.onError(error);
    throw error;
  };

  constructor(
    private readonly stream: ReadableStream<Chunk>,
    readonly call: ObservedCall,
  ) {}

  /** Where `pipeTo`, `pipeThrough` and `tee` read from: the pull-through wrapper, made on first use. */
  throughWrapper(): ReadableStream<Chunk> {
    this.piped ??= pullThrough(this.stream, this.call, (source) => protoGetReader.call(source) as ReadableStreamDefaultReader<Chunk>);
    return this.piped;
  }
}

// The stream methods are made once and shared by every tapped stream (closures and descriptors per
// stream were 3.4 KB of garbage per streamed call, issue 11); each finds its tap by `this`, in a
// private field of the stream (a tap refers to its stream: private-slot.ts says why no WeakMap).
// Called on anything else they do what the prototype's would.
const taps = privateSlot<Tap>();
const method = (value: (...args: never[]) => unknown) => ({ value, writable: true, configurable: true });
function values(this: ReadableStream<Chunk>, options?: unknown) {
  const tap = taps.get(this);
  const iterator = protoValues.call(this, options);
  return tap ? tapIterator(iterator, tap.call, tap.onResult, tap.onFailure) : iterator;
}
const throughWrapper = (name: 'pipeTo' | 'pipeThrough' | 'tee') =>
  method(
    {
      [name](this: ReadableStream<Chunk>, ...args: unknown[]) {
        const tap = taps.get(this);
        return tap ? (tap.throughWrapper()[name] as (...args: unknown[]) => unknown)(...args) : protoMethods[name].apply(this, args);
      },
    }[name],
  );
const streamMethods = ownProperties({
  getReader: method(function getReader(this: ReadableStream<Chunk>, options?: { mode?: 'byob' }) {
    const reader = protoGetReader.call(this, options);
    const tap = taps.get(this);
    if (!tap) return reader;
    const { call, onResult, onFailure } = tap;
    const ownRead = reader.read as (this: Reader, view?: ArrayBufferView) => Promise<ReadResult>;
    const ownCancel = reader.cancel;
    Object.defineProperties(reader, {
      read: method(function read(view?: ArrayBufferView) {
        return ownRead.call(reader, view).then(onResult, onFailure);
      }),
      cancel: method(function cancel(reason?: unknown) {
        call.onCancel();
        return ownCancel.call(reader, reason);
      }),
    });
    return reader;
  }),
  values: method(values),
  [Symbol.asyncIterator]: method(values),
  cancel: method(function cancel(this: ReadableStream<Chunk>, reason?: unknown) {
    taps.get(this)?.call.onCancel();
    return streamProto.cancel.call(this, reason);
  }),
  pipeTo: throughWrapper('pipeTo'),
  pipeThrough: throughWrapper('pipeThrough'),
  tee: throughWrapper('tee'),
});

function tapIterator(
  iterator: AsyncIterableIterator<Chunk>,
  call: ObservedCall,
  onResult: (result: ReadResult) => ReadResult,
  onFailure: (error: unknown) => never,
): AsyncIterableIterator<Chunk> {
  const ownNext = iterator.next;
  const ownReturn = iterator.return;
  const method = (value: (...args: never[]) => unknown) => ({ value, writable: true, configurable: true });
  Object.defineProperty(
    iterator,
    'next',
    method(function next() {
      return ownNext.call(iterator).then(onResult as (result: IteratorResult<Chunk>) => IteratorResult<Chunk>, onFailure);
    }),
  );
  if (ownReturn) {
    Object.defineProperty(
      iterator,
      'return',
      // Leaving a for-await loop early cancels the stream (unless preventCancel): the caller stopped.
      method(function return_(value?: unknown) {
        call.onCancel();
        return ownReturn.call(iterator, value);
      }),
    );
  }
  return iterator;
}
