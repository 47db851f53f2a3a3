import { spawnSync } from 'node:child_process';

/**
 * Whether a Debian-packaged tool a test needs (redis-server, promtool) runs. Locally without it the
 * tests that need it are skipped with one line saying why and how to install it; under `CI=true` its
 * absence fails the run (.ci/run installs it), so CI cannot go green by skipping.
 */
export function systemBinary(binary: string, what: string, install: string): boolean {
  const probe = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  if (probe.error === undefined && probe.status === 0) return true;
  const hint = `${binary} is not on PATH; install it with ${install}`;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${hint} (.ci/run installs it)`);
  console.warn(`${what} skipped: ${hint}`);
  return false;
}
