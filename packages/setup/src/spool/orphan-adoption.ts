import { diag } from '@opentelemetry/api';
import { lstatSync, readdirSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PROCESS_SUBDIRECTORY } from './spool-directory-claim';
import { tryLockSpoolDirectory } from './spool-lock';
import type { SpoolStore } from './spool-store';

/*
 * A worker that dies leaves `<root>/pid-<pid>` behind, and a dead root owner leaves the root; nobody
 * would ever send those files. Any live process takes the lock of such a directory (the same stale-lock
 * takeover as at start), moves its files into its own directory (rename: same file system, atomic) and
 * removes an emptied `pid-*` directory. Returns the number of batches adopted.
 */
export function adoptOrphanedSpools(root: string, own: SpoolStore): number {
  const rootPath = resolve(root);
  const ownPath = resolve(own.dir);
  let names: string[];
  try {
    names = readdirSync(rootPath).filter((name) => PROCESS_SUBDIRECTORY.test(name));
  } catch {
    return 0;
  }
  const candidates = [rootPath, ...names.map((name) => join(rootPath, name))].filter((dir) => dir !== ownPath);
  let adopted = 0;
  for (const dir of candidates) {
    if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    let attempt: ReturnType<typeof tryLockSpoolDirectory>;
    try {
      attempt = tryLockSpoolDirectory(dir);
    } catch {
      continue; // removed meanwhile by another adopter
    }
    if (!attempt.acquired) continue;
    let moved = 0;
    try {
      moved = own.absorb(dir);
      adopted += moved;
      if (dir !== rootPath) removeEmptySubfolders(dir);
    } catch (error) {
      diag.error(`llm-otel spool: could not adopt ${dir}: ${(error as Error).message}`);
    } finally {
      attempt.lock.release();
    }
    if (dir !== rootPath) removeDirectory(dir);
    if (moved > 0) diag.info(`llm-otel spool: adopted ${moved} batches of a dead process from ${dir}`);
  }
  return adopted;
}

function removeEmptySubfolders(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (lstatSync(join(dir, name), { throwIfNoEntry: false })?.isDirectory()) removeDirectory(join(dir, name));
  }
}

function removeDirectory(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty: a new process has claimed it, or a file could not be moved; leave it.
  }
}
