import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll } from 'vitest';

const setupPackage = fileURLToPath(new URL('../../packages/setup/', import.meta.url));
/** The workspace packages the spool sources import. */
const SIBLINGS = ['pii', 'audit', 'instrumentation', 'processor', 'budgets'];

export interface SpoolBundle {
  /** ESM module exporting createSpoolingSpanProcessor, readSpoolEnv, ... (src/spool/index.ts). */
  spool: string;
  /** ESM module exporting tryLockSpoolDirectory. */
  lock: string;
  remove(): void;
}

/*
 * Child processes cannot run TypeScript on Node 20, and the package's dist only holds what its
 * index.ts exports; so each test file bundles the spool sources it tests (about 0.1 s with tsup).
 * The bundle lives inside packages/setup (in the git-ignored .tmp/) so that its external imports
 * (@opentelemetry/*, @grpc/grpc-js, undici) resolve from that package's node_modules, as in the dist.
 * The @llm-otel packages it imports are bundled from their sources (no build needed).
 */
export async function buildSpoolBundle(): Promise<SpoolBundle> {
  mkdirSync(join(setupPackage, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(join(setupPackage, '.tmp', 'spool-bundle-'));
  await build({
    config: false,
    entry: { spool: join(setupPackage, 'src/spool/index.ts'), lock: join(setupPackage, 'src/spool/spool-lock.ts') },
    format: ['esm'],
    outDir,
    target: 'node20',
    skipNodeModulesBundle: true,
    // The sibling packages from their sources, so that a fresh clone needs no build for these tests.
    noExternal: [/^@llm-otel\//, 'libphonenumber-js', 'ibantools'],
    esbuildOptions(options) {
      options.alias = Object.fromEntries(SIBLINGS.map((pkg) => [`@llm-otel/${pkg}`, join(setupPackage, '..', pkg, 'src/index.ts')]));
    },
    dts: false,
    sourcemap: false,
    silent: true,
  });
  return {
    spool: join(outDir, 'spool.js'),
    lock: join(outDir, 'lock.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}

/** Builds the bundle before the tests of a file and removes it after them. */
export function useSpoolBundle(): () => SpoolBundle {
  let bundle: SpoolBundle | undefined;
  beforeAll(async () => {
    bundle = await buildSpoolBundle();
  });
  afterAll(() => bundle?.remove());
  return () => {
    if (!bundle) throw new Error('the spool bundle is built in beforeAll');
    return bundle;
  };
}
