import { diag } from '@opentelemetry/api';
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type SpoolLock, tryLockSpoolDirectory } from './spool-lock';
import { DIRECTORY_MODE } from './spool-store';

/** Sub-directories of processes that could not have the spool root: `pid-<pid>` or `pid-<pid>-<n>`. */
export const PROCESS_SUBDIRECTORY = /^pid-\d+(-\d+)?$/;

/*
 * The first process takes the spool root. Another process configured with the same directory (every
 * worker of Node's cluster module or of PM2 cluster mode gets the same settings) cannot share it, and
 * failing would lose its spans; so it writes into `<root>/pid-<pid>` under its own lock. Directories
 * of processes that died are adopted by live ones (orphan-adoption.ts).
 */
export function claimSpoolDirectory(root: string): SpoolLock {
  const rootPath = resolve(root);
  mkdirSync(rootPath, { recursive: true, mode: DIRECTORY_MODE });
  if ((statSync(rootPath).mode & 0o077) !== 0) {
    diag.warn(`llm-otel spool: ${rootPath} is accessible to other users; spans on disk may contain personal data`);
  }
  const first = tryLockSpoolDirectory(rootPath);
  if (first.acquired) return first.lock;
  for (let n = 0; n < 100; n++) {
    const dir = join(rootPath, n === 0 ? `pid-${process.pid}` : `pid-${process.pid}-${n}`);
    try {
      mkdirSync(dir, { recursive: true, mode: DIRECTORY_MODE });
      const attempt = tryLockSpoolDirectory(dir);
      if (attempt.acquired) {
        diag.info(`llm-otel spool: ${rootPath} belongs to pid ${first.ownerPid}; this process spools into ${dir}`);
        return attempt.lock;
      }
    } catch (error) {
      // A live process removed this directory while adopting it: take the next name.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new Error(`llm-otel spool: could not lock ${rootPath} nor a pid-${process.pid} sub-directory of it`);
}
