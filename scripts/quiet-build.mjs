// Builds workspace packages for running (the demo, `pnpm llm-otel` from a clone): JavaScript only, no
// declarations (the slow part of `pnpm build`, which no `node` run reads), no output unless a build fails.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './published-packages.mjs';

const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');

/** Newest (or oldest) modification time of the files under `path`, ms. */
function mtimes(path, pick) {
  if (!existsSync(path)) return undefined;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  const times = readdirSync(path)
    .map((entry) => mtimes(join(path, entry), pick))
    .filter((time) => time !== undefined);
  return times.length === 0 ? undefined : pick(...times);
}

/** dist/ is newer than every source of the package: nothing to build (a second `pnpm demo` starts at once). */
function upToDate(packageDir) {
  const built = mtimes(join(packageDir, 'dist'), Math.min);
  const sources = Math.max(...['src', 'tsup.config.ts', 'package.json'].map((path) => mtimes(join(packageDir, path), Math.max) ?? 0));
  return built !== undefined && built > sources;
}

function tsupQuietly(packageDir) {
  return new Promise((resolve, reject) => {
    // In the package's folder, so tsup reads its tsup.config.ts; the flags win over it.
    const child = spawn(process.execPath, [tsup, '--silent', '--no-dts'], { cwd: packageDir, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building ${packageDir} failed (exit ${code})`))));
  });
}

/**
 * Builds the packages that are not up to date, as many at a time as there are cores: each build
 * bundles only its own sources (siblings are resolved at run time), so the order does not matter.
 * @param {string[]} packageDirs folders under packages/
 */
export async function buildQuietly(packageDirs) {
  const pending = packageDirs.map((dir) => join(REPO_ROOT, 'packages', dir)).filter((dir) => !upToDate(dir));
  const worker = async () => {
    for (let dir = pending.shift(); dir !== undefined; dir = pending.shift()) await tsupQuietly(dir);
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
}
