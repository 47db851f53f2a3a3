import { createRequire } from 'node:module';

/**
 * Loads a dependency synchronously at its first use instead of at import, from the ESM build and the
 * CommonJS build alike (tsup's `shims` gives the CommonJS build an `import.meta.url`).
 */
export const requireLazily: NodeJS.Require = createRequire(import.meta.url);
