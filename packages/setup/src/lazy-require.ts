import { createRequire } from 'node:module';

/**
 * Loads a dependency synchronously at its first use instead of at import, from the ESM build and
 * the CommonJS build alike (tsup's `shims` gives the CommonJS build an `import.meta.url`). For what
 * is off at the defaults: the OTLP metrics exporters and the http/protobuf trace exporter (with
 * libphonenumber-js, lazy in @llm-otel/pii) took ~10 MiB of RSS and 50-85 ms from every start-up that
 * used none of them (bench/startup, issue 11). Set-up stays synchronous, so nothing recorded before
 * the first export is lost.
 */
export const requireLazily: NodeJS.Require = createRequire(import.meta.url);
