import { AsyncLocalStorage } from 'node:async_hooks';

const SCOPE_KEY = Symbol.for('llm-otel.hook-scope');

/**
 * Marks the asynchronous scope of a call the fetch hook has already recorded, so that the undici
 * hook underneath (Node's fetch runs on undici) does not record it a second time. Shared through
 * the global object so that an ESM and a CommonJS copy of this package agree.
 */
export const fetchHookScope: AsyncLocalStorage<true> = ((globalThis as Record<symbol, unknown>)[SCOPE_KEY] ??=
  new AsyncLocalStorage<true>()) as AsyncLocalStorage<true>;
