import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

// One self-contained ESM file: `npx @llm-otel/cli` and a test's child process run it with plain node.
// The verifier is bundled from its source, so building the CLI needs no other package built first.
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
      '@llm-otel/budgets/report': fileURLToPath(new URL('../budgets/src/report/index.ts', import.meta.url)),
    };
  },
});
