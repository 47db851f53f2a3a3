import type { ObservedCall } from './observed-call';
import { pullThrough } from './response-wrapper';

type Chunk = Uint8Array;
type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Chunk>['read']>>;
type Reader = ReadableStreamDefaultReader<Chunk> | ReadableStreamBYOBReader;

const streamProto = ReadableStream.prototype;
const protoGetReader = streamProto.getReader as (this: ReadableStream<Chunk>, options?: { mode?: 'byob' }) => Reader;
const protoValues = (streamProto as unknown as { values(this: ReadableStream<Chunk>, options?: unknown): AsyncIterableIterator<Chunk> }).values;

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
  const onResult = (result: ReadResult): ReadResult => {
    if (result.done) call.onEnd();
    else if (result.value.byteLength > 0) call.onChunk(result.value);
    return result;
  };
  const onFailure = (error: unknown): never => {
    call.onError(error);
    throw error;
  };
  let piped: ReadableStream<Chunk> | undefined;
  const throughWrapper = () => (piped ??= pullThrough(stream, call, (source) => protoGetReader.call(source) as ReadableStreamDefaultReader<Chunk>));
  const method = (value: (...args: never[]) => unknown) => ({ value, writable: true, configurable: true });

  Object.defineProperties(stream, {
    getReader: method(function getReader(options?: { mode?: 'byob' }) {
      const reader = protoGetReader.call(stream, options);
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
    values: method(function values(options?: unknown) {
      return tapIterator(protoValues.call(stream, options), call, onResult, onFailure);
    }),
    [Symbol.asyncIterator]: method(function values(options?: unknown) {
      return tapIterator(protoValues.call(stream, options), call, onResult, onFailure);
    }),
    cancel: method(function cancel(reason?: unknown) {
      call.onCancel();
      return streamProto.cancel.call(stream, reason);
    }),
    pipeTo: method(function pipeTo(...args: Parameters<ReadableStream<Chunk>['pipeTo']>) {
      return throughWrapper().pipeTo(...args);
    }),
    pipeThrough: method(function pipeThrough(...args: Parameters<ReadableStream<Chunk>['pipeThrough']>) {
      return throughWrapper().pipeThrough(...args);
    }),
    tee: method(function tee() {
      return throughWrapper().tee();
    }),
  });
  return stream;
}

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
