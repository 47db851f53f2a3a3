import { defineConfig } from 'tsup';

export default defineConfig({
  // `report`: the stores and the usage report alone, for the CLI (no instrumentation in its bundle).
  entry: { index: 'src/index.ts', 'report/index': 'src/report/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
