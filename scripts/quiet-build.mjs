// Builds workspace packages for running (the demo, `pnpm llm-otel` from a clone): JavaScript only, no
// declarations (the slow part of `pnpm build`, which no `node` run reads), no output unless a build fails.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './published-packages.mjs';

const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');

/** @param {string[]} packageDirs folders under packages/, dependencies first */
export function buildQuietly(packageDirs) {
  for (const dir of packageDirs) {
    // In the package's folder, so tsup reads its tsup.config.ts; the flags win over it.
    execFileSync(process.execPath, [tsup, '--silent', '--no-dts'], { cwd: join(REPO_ROOT, 'packages', dir), stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
