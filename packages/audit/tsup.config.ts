import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'verify/index': 'src/verify/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // import.meta.url in the CommonJS build (batch-queue.ts loads sdk-trace-base at first use).
  shims: true,
});
