import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import the workspace packages by name; they resolve to the TypeScript sources so a test run
// needs no build. The packaging test (test/packaging.test.ts) covers the built ESM and CommonJS output.
export default defineConfig({
  resolve: {
    alias: {
      '@llm-otel/instrumentation': src('instrumentation'),
      '@llm-otel/pii': src('pii'),
      '@llm-otel/audit/verify': fileURLToPath(new URL('./packages/audit/src/verify/index.ts', import.meta.url)),
      '@llm-otel/audit': src('audit'),
      '@llm-otel/cli': src('cli'),
      '@llm-otel/setup': src('setup'),
      '@llm-otel/otlp-receiver': src('otlp-receiver'),
      '@llm-otel/provider-stand-in': src('provider-stand-in'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
