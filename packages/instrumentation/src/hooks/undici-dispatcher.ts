import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
// undici's own base class, without the rest of undici: its index loads fetch, WebSocket, the caches,
// the mocks and the HTTP/1 parser, ~60 ms and ~8 MiB of every start-up (bench/startup, issue 11), for
// an Agent most processes never need from us (Node's own sits in the global slot once `Response` is
// touched, which this package does as it loads). undici 7 has no `exports` map; the file is pinned
// with the dependency, and a test asserts that the class is undici's (undici-dispatcher.test.ts).
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';

declare const __filename: string | undefined;

let requireFromHere: NodeJS.Require | undefined;

/**
 * All of undici (CommonJS only: both builds share one copy), required at the first need. The base is
 * `import.meta.url` (tsup shims it in the CommonJS build); an application bundled to CommonJS has none,
 * and its own file is the base then, so an undici it left in node_modules is found.
 */
export function undici(): typeof import('undici') {
  requireFromHere ??= createRequire((import.meta.url as string | undefined) ?? (typeof __filename === 'string' ? __filename : `${process.cwd()}/`));
  return requireFromHere('undici') as typeof import('undici');
}

/** undici's `Dispatcher` class; its API methods (`request`, `stream` …) appear once undici's index is loaded. */
export const UndiciDispatcher = DispatcherBase as unknown as typeof Dispatcher;

/** A new undici Agent, undici loaded for it. */
export function newAgent(): Agent {
  return new (undici().Agent)();
}

/**
 * The API methods undici's index adds to `Dispatcher.prototype`, on `prototype`, so that a global
 * dispatcher of ours answers `getGlobalDispatcher().request(...)` as undici's own does: each loads
 * undici on its first call, then is undici's.
 */
export function withUndiciApiMethods(prototype: object): void {
  for (const name of ['request', 'stream', 'pipeline', 'connect', 'upgrade'] as const) {
    Object.defineProperty(prototype, name, {
      value: {
        [name](this: Dispatcher, ...args: unknown[]) {
          return (undici().Dispatcher.prototype[name] as (...a: unknown[]) => unknown).apply(this, args);
        },
      }[name],
      writable: true,
      configurable: true,
    });
  }
}
