import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// One ESM file: `npx @llm-otel/cli` and a test's child process run it with plain node. The verifier
// and the private OTLP receiver (`view`) are bundled from their sources, so building the CLI needs no
// other package built first and the receiver (whose test-only API is no public contract) is never
// published; its two runtime dependencies, @grpc/grpc-js and protobufjs, are the CLI's dependencies
// (grpc-js is CommonJS that requires node built-ins, which an ESM bundle cannot inline).
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: false,
  clean: true,
  target: 'node20',
  noExternal: [/^@llm-otel\//],
  banner: { js: '#!/usr/bin/env node' },
  esbuildOptions(options) {
    options.alias = {
      '@llm-otel/audit/verify': fileURLToPath(new URL('../audit/src/verify/index.ts', import.meta.url)),
      '@llm-otel/otlp-receiver': fileURLToPath(new URL('../otlp-receiver/src/index.ts', import.meta.url)),
    };
  },
});
