import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const packagesDir = new URL('../../packages/', import.meta.url);

/**
 * Bundles a child-process entry for tests that kill and restart real processes: the named workspace
 * packages from their TypeScript sources (no build needed), the other @llm-otel packages and the small
 * pure dependencies bundled, OpenTelemetry, gRPC and undici left to node_modules as the dist has them.
 * Returns the bundle's path (`outDir/<name>.js`).
 */
export async function bundleChild(entry: URL, name: string, outDir: string, fromSources: readonly string[]): Promise<string> {
  await build({
    config: false,
    entry: { [name]: fileURLToPath(entry) },
    format: ['esm'],
    outDir,
    target: 'node20',
    noExternal: [/^@llm-otel\//, 'libphonenumber-js', 'ibantools'],
    external: [/^@opentelemetry\//, /^@grpc\//, 'undici'],
    dts: false,
    clean: false,
    sourcemap: false,
    silent: true,
    esbuildOptions(options) {
      options.alias = Object.fromEntries(fromSources.map((pkg) => [`@llm-otel/${pkg}`, fileURLToPath(new URL(`${pkg}/src/index.ts`, packagesDir))]));
    },
  });
  return `${outDir}/${name}.js`;
}
