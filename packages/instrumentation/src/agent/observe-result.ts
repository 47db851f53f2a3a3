import { context } from '@opentelemetry/api';
import { types } from 'node:util';
import { guarded } from '../guard';
import * as semconv from '../semconv';
import type { OperationSpan } from './operation-span';

/**
 * Ends a span with the value a wrapped function returned, without changing that value: the same
 * promise, iterator or stream object comes back. A promise ends the span when it settles; an
 * iterator, async iterable or ReadableStream when it is read to its end, fails, or is returned or
 * cancelled early; a Node stream when it ends or closes. Iteration steps run in the span's context,
 * so LLM calls a generator makes between its yields nest under it. A result dropped unfinished
 * ends the span when it is collected. Anything else ends the span now.
 */
export function observeResult<T>(span: OperationSpan, result: T, recordResult: boolean): T {
  guarded('observing a result', () => observe(span, result, recordResult), undefined);
  return result;
}

// Ends the span of a result the application dropped before finishing it (as the fetch hook's
// responses do). The held value is the span, never the result.
const abandoned = new FinalizationRegistry<OperationSpan>((span) => span.abandon());

/** Ends `span` (as abandoned) once `target` is garbage-collected, unless it ended before. */
export function endWhenCollected(target: object, span: OperationSpan): void {
  abandoned.register(target, span, span);
}

// How many spans watch a result object. Nested wrappers (an agent returning what its tool returned)
// each add a layer of observed methods; a tool that returns the same cached iterable or stream on
// every call must not add one per call: past MAX_WATCHERS the span ends at once.
const watchers = new WeakMap<object, number>();
const MAX_WATCHERS = 8;

function observe(span: OperationSpan, result: unknown, recordResult: boolean): void {
  if (types.isPromise(result)) {
    result.then(
      (value) => finishNow(span, value, recordResult),
      (error: unknown) => span.fail(error),
    );
    return;
  }
  if (typeof result === 'object' && result !== null && isWatchable(result)) {
    const count = watchers.get(result) ?? 0;
    if (count >= MAX_WATCHERS) {
      span.end();
      return;
    }
    watchers.set(result, count + 1);
    if (isReadableStream(result)) watchReadableStream(span, result);
    else if (isIterator(result)) watchIterator(span, result);
    else if (isNodeReadable(result)) watchNodeReadable(span, result);
    else if (isAsyncIterable(result)) watchAsyncIterable(span, result);
    else finishNow(span, result, recordResult);
    return;
  }
  finishNow(span, result, recordResult);
}

/** The result is all there is: record it (under capture) and end. */
function finishNow(span: OperationSpan, result: unknown, recordResult: boolean): void {
  if (recordResult) span.recordContent(semconv.ATTR_GEN_AI_TOOL_CALL_RESULT, () => result);
  span.end();
}

/** A result we can watch: one of the shapes below, and extensible (a frozen one cannot take our methods: its span ends now). */
function isWatchable(value: object): boolean {
  if (!Object.isExtensible(value)) return false;
  return isReadableStream(value) || isIterator(value) || isNodeReadable(value) || isAsyncIterable(value);
}

type IteratorMethod = 'next' | 'return' | 'throw';
type AnyIterator = Partial<Record<IteratorMethod, (...args: unknown[]) => unknown>>;

function isIterator(value: object): value is AnyIterator {
  const candidate = value as { next?: unknown; [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  return typeof candidate.next === 'function' && (typeof candidate[Symbol.iterator] === 'function' || typeof candidate[Symbol.asyncIterator] === 'function');
}

function isAsyncIterable(value: object): value is { [Symbol.asyncIterator](): AnyIterator } {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * Shadows `next`, `return` and `throw` on the iterator object itself (own, non-enumerable
 * properties calling the originals), so the caller keeps the very object the function returned.
 */
function watchIterator(span: OperationSpan, iterator: AnyIterator): void {
  abandoned.register(iterator, span, span);
  // Every method ends the span only on a result that is done: a generator may catch what `throw`
  // sent it, or yield again from the `finally` that `return` ran.
  const settle = (step: unknown): void => {
    const done = (value: unknown) => {
      if (typeof value === 'object' && value !== null && (value as IteratorResult<unknown>).done === true) {
        abandoned.unregister(span);
        span.end();
      }
    };
    if (types.isPromise(step)) step.then(done, (error: unknown) => finishWithError(span, error));
    else done(step);
  };
  for (const method of ['next', 'return', 'throw'] as const) {
    const original = iterator[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(iterator, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function observedStep(this: unknown, ...args: unknown[]): unknown {
        if (span.isEnded) return original.apply(this, args);
        let step: unknown;
        try {
          step = context.with(span.context, () => original.apply(this, args));
        } catch (error) {
          finishWithError(span, error);
          throw error;
        }
        guarded('observing an iteration step', () => settle(step), undefined);
        return step;
      },
    });
  }
}

function finishWithError(span: OperationSpan, error: unknown): void {
  abandoned.unregister(span);
  span.fail(error);
}

/** An async iterable that is not itself an iterator (the openai SDK's Stream): the first iterator it hands out is watched. */
function watchAsyncIterable(span: OperationSpan, iterable: { [Symbol.asyncIterator](): AnyIterator }): void {
  abandoned.register(iterable, span, span);
  const original = iterable[Symbol.asyncIterator];
  Object.defineProperty(iterable, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function observedIterator(this: unknown): unknown {
      const iterator = original.apply(this);
      if (!span.isEnded && typeof iterator === 'object' && iterator !== null) {
        guarded(
          'observing an iterator',
          () => {
            abandoned.unregister(span);
            watchIterator(span, iterator);
          },
          undefined,
        );
      }
      return iterator;
    },
  });
}

function isReadableStream(value: object): value is ReadableStream {
  return typeof ReadableStream === 'function' && value instanceof ReadableStream;
}

/**
 * A web ReadableStream: its reader's reads (getReader), its async iteration (values, for await),
 * pipeTo/pipeThrough and cancel are watched on the stream object itself. A stream that is teed ends
 * the span when it is teed (the branches are new streams the caller owns).
 */
function watchReadableStream(span: OperationSpan, stream: ReadableStream): void {
  abandoned.register(stream, span, span);
  const done = () => {
    abandoned.unregister(span);
    span.end();
  };
  const fail = (error: unknown) => finishWithError(span, error);
  const observe = (promise: unknown) => {
    if (types.isPromise(promise)) promise.then(done, fail);
  };
  shadow(
    stream,
    'getReader',
    (original) =>
      function observedGetReader(this: ReadableStream, ...args: unknown[]) {
        const reader = original.apply(this, args) as ReadableStreamDefaultReader;
        guarded('observing a stream reader', () => watchReader(span, reader, done, fail), undefined);
        return reader;
      },
  );
  const values = (original: (...args: unknown[]) => unknown) =>
    function observedValues(this: ReadableStream, ...args: unknown[]) {
      const iterator = original.apply(this, args) as AnyIterator;
      guarded('observing a stream iterator', () => watchIterator(span, iterator), undefined);
      return iterator;
    };
  shadow(stream, 'values', values);
  shadow(stream, Symbol.asyncIterator, values);
  shadow(
    stream,
    'pipeTo',
    (original) =>
      function observedPipeTo(this: ReadableStream, ...args: unknown[]) {
        const piped = original.apply(this, args);
        guarded('observing a pipe', () => observe(piped), undefined);
        return piped;
      },
  );
  shadow(
    stream,
    'pipeThrough',
    () =>
      // The specification's pipeThrough is pipeTo into the transform's writable side, returning its
      // readable side; doing it here lets the pipe's end be seen.
      function observedPipeThrough(
        this: ReadableStream,
        transform: { writable: WritableStream; readable: ReadableStream },
        options?: Parameters<ReadableStream['pipeTo']>[1],
      ) {
        const piped = this.pipeTo(transform.writable, options);
        piped.catch(() => undefined);
        return transform.readable;
      },
  );
  shadow(
    stream,
    'cancel',
    (original) =>
      function observedCancel(this: ReadableStream, ...args: unknown[]) {
        const cancelled = original.apply(this, args);
        guarded('observing a cancel', () => observe(cancelled), undefined);
        return cancelled;
      },
  );
  shadow(
    stream,
    'tee',
    (original) =>
      function observedTee(this: ReadableStream, ...args: unknown[]) {
        const branches = original.apply(this, args);
        done();
        return branches;
      },
  );
}

function watchReader(span: OperationSpan, reader: ReadableStreamDefaultReader, done: () => void, fail: (error: unknown) => void): void {
  shadow(
    reader,
    'read',
    (original) =>
      function observedRead(this: ReadableStreamDefaultReader, ...args: unknown[]) {
        const read = original.apply(this, args);
        if (!span.isEnded && types.isPromise(read)) {
          (read as Promise<{ done?: boolean }>).then((result) => {
            if (result.done) done();
          }, fail);
        }
        return read;
      },
  );
  shadow(
    reader,
    'cancel',
    (original) =>
      function observedReaderCancel(this: ReadableStreamDefaultReader, ...args: unknown[]) {
        const cancelled = original.apply(this, args);
        if (types.isPromise(cancelled)) cancelled.then(done, fail);
        return cancelled;
      },
  );
}

/** Replaces a method with an own, non-enumerable property built from the original. */
function shadow<O extends object>(target: O, key: PropertyKey, build: (original: (...args: unknown[]) => unknown) => (...args: never[]) => unknown): void {
  const original = (target as Record<PropertyKey, unknown>)[key];
  if (typeof original !== 'function') return;
  Object.defineProperty(target, key, { configurable: true, writable: true, enumerable: false, value: build(original as (...args: unknown[]) => unknown) });
}

interface NodeReadableLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  pipe: unknown;
  readonly errored?: unknown;
}

function isNodeReadable(value: object): value is NodeReadableLike {
  const candidate = value as Partial<NodeReadableLike> & { readable?: unknown };
  return typeof candidate.on === 'function' && typeof candidate.pipe === 'function' && 'readable' in candidate;
}

/**
 * A Node stream: ends with 'end' or 'close' (an 'error' is followed by 'close' and read from
 * `errored`). No 'error' listener is added: one would keep an unhandled stream error from crashing
 * the process as it would without us.
 */
function watchNodeReadable(span: OperationSpan, stream: NodeReadableLike): void {
  abandoned.register(stream, span, span);
  const finish = () => {
    abandoned.unregister(span);
    const error = stream.errored;
    if (error) span.fail(error);
    else span.end();
  };
  stream.on('end', finish);
  stream.on('close', finish);
}
