import { createRequire } from 'node:module';

/**
 * Loads a dependency synchronously at its first use instead of at import, from the ESM build and
 * the CommonJS build alike (tsup's `shims` gives the CommonJS build an `import.meta.url`). For what
 * is off at the defaults: measured with bench/startup, the metrics SDK with its OTLP exporters and
 * the http/protobuf trace exporter added ~110 ms and ~20 MiB to every start-up that used neither.
 * Set-up stays synchronous, so nothing recorded before the first export is lost.
 */
export const requireLazily: NodeJS.Require = createRequire(import.meta.url);
