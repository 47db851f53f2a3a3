import { createRequire } from 'node:module';

declare const __filename: string | undefined;

let required: NodeJS.Require | undefined;

/**
 * Loads a dependency synchronously at its first use instead of at import, from the ESM build and
 * the CommonJS build alike (tsup's `shims` gives the CommonJS build an `import.meta.url`). For what
 * is off at the defaults: the OTLP metrics exporters and the http/protobuf trace exporter (with
 * libphonenumber-js, lazy in @llm-otel/pii) took ~10 MiB of RSS and 50-85 ms from every start-up that
 * used none of them (bench/startup, issue 11). Set-up stays synchronous, so nothing recorded before
 * the first export is lost. An application bundled to CommonJS (esbuild, webpack) has no
 * `import.meta.url`: the bundle's own file is the base then, so what it left in node_modules is found.
 * Bundlers do not see these requires: prefer a dynamic `import()` where the caller can wait.
 */
export function requireLazily(id: string): unknown {
  required ??= createRequire((import.meta.url as string | undefined) ?? (typeof __filename === 'string' ? __filename : `${process.cwd()}/`));
  return required(id);
}
