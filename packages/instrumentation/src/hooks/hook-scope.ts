import { AsyncLocalStorage } from 'node:async_hooks';
import { context, type Context } from '@opentelemetry/api';

const SCOPE_KEY = Symbol.for('llm-otel.hook-scope');

/**
 * Marks the asynchronous scope of a call the fetch hook has already recorded, so that the undici
 * hook underneath (Node's fetch runs on undici) does not record it a second time. The mark is a value
 * in the OpenTelemetry context the request is sent under, which the fetch hook sets anyway: a second
 * AsyncLocalStorage of our own made every promise of the process pay one more propagation on Node
 * 20/22 (async_hooks `_propagate`, about 5 µs of a streamed call in bench/overhead, issue 11). Only
 * when no context manager is registered (context.with() then changes nothing) does the storage
 * carry it. Both are keyed through `Symbol.for`, so an ESM and a CommonJS copy of this package agree.
 */
export function runMarkedAsFetchHook<T>(sentUnder: Context, send: () => T): T {
  const marked = sentUnder.setValue(SCOPE_KEY, true);
  return context.with(marked, () => (context.active() === marked ? send() : fallbackScope().run(true, send)));
}

/** True inside a call the fetch hook records. */
export function insideFetchHook(): boolean {
  if (context.active().getValue(SCOPE_KEY) === true) return true;
  const storage = (globalThis as Slot)[SCOPE_KEY];
  return storage !== undefined && storage.getStore() === true;
}

type Slot = { [SCOPE_KEY]?: AsyncLocalStorage<true> };

/** Created on first need only: an AsyncLocalStorage costs every promise from its first run() on. */
function fallbackScope(): AsyncLocalStorage<true> {
  return ((globalThis as Slot)[SCOPE_KEY] ??= new AsyncLocalStorage<true>());
}
