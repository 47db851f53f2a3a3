import { createRequire } from 'node:module';

/**
 * npm undici, loaded when first needed instead of at import (hooks/undici-hook.ts says why). In a
 * CommonJS build or bundle the call is a literal `require('undici')`, which a bundler of the app sees
 * and includes; the ESM build, which has no `require`, makes one from its own URL.
 */
export function requireUndici(): typeof import('undici') {
  if (typeof module === 'object') return require('undici') as typeof import('undici');
  return createRequire(import.meta.url)('undici') as typeof import('undici');
}
