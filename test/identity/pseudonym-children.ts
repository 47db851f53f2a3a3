import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { startNode } from '../support/node-child';

const piiPackage = fileURLToPath(new URL('../../packages/pii/', import.meta.url));

/**
 * Masks `{ 'user.id': userId }` with the pii package's masker in two fresh Node processes (the
 * sources bundled with tsup, as test/durable-export/spool-bundle.ts does: Node 20 runs no TypeScript),
 * the key given through the environment; resolves with the two `user.id` values they printed.
 */
export async function pseudonymsInChildProcesses(key: string, keyId: string, userId: string): Promise<[string, string]> {
  mkdirSync(join(piiPackage, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(join(piiPackage, '.tmp', 'pseudonym-bundle-'));
  try {
    await build({
      config: false,
      entry: { pii: join(piiPackage, 'src/index.ts') },
      format: ['esm'],
      outDir,
      target: 'node20',
      skipNodeModulesBundle: true,
      dts: false,
      silent: true,
    });
    const script = join(outDir, 'child.mjs');
    writeFileSync(
      script,
      `import { createMasker } from './pii.js';
const masker = createMasker({ pseudonyms: { key: process.env.KEY, keyId: process.env.KEY_ID } });
console.log(masker.maskAttributes({ 'user.id': process.env.USER_ID })['user.id']);
`,
    );
    const run = async () => {
      const exit = await startNode([script], { cwd: outDir, env: { KEY: key, KEY_ID: keyId, USER_ID: userId } }).exited;
      if (exit.code !== 0) throw new Error(`child exited with ${exit.code}: ${exit.stderr}`);
      return exit.stdout.trim();
    };
    return [await run(), await run()];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
