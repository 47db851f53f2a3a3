import { build } from 'esbuild';

/**
 * Bundles an application the way a server build does (esbuild, everything in one file, platform
 * node), ESM or CommonJS; `alias` points package names at sources. The ESM bundle gets the usual
 * banner of an ESM server bundle, so that CommonJS dependencies inside can call require().
 */
export async function bundleApplication(options: { entry: string; outfile: string; format: 'esm' | 'cjs'; alias?: Record<string, string> }): Promise<string> {
  await build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: options.format,
    logLevel: 'silent',
    alias: options.alias,
    banner:
      options.format === 'esm'
        ? { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" }
        : undefined,
  });
  return options.outfile;
}
