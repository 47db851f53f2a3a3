import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

/** A lock held longer than this is taken for the leftover of a killed process. */
const STALE_MILLIS = 10_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * An exclusive lock file (`O_CREAT | O_EXCL`) around one read-merge-write of the budget file, so that
 * processes sharing the file add their spend instead of overwriting each other's. Held for a few
 * milliseconds; a lock whose owner is dead (or older than 10 s) is broken. Returns false when the
 * lock could not be had within `waitMillis` (the caller retries at its next flush).
 */
export function withFileLock(lockPath: string, waitMillis: number, work: () => void): boolean {
  const deadline = Date.now() + waitMillis;
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
        closeSync(fd);
        work();
      } finally {
        try {
          unlinkSync(lockPath);
        } catch {
          // already broken by another process as stale
        }
      }
      return true;
    }
    if (isStale(lockPath)) {
      try {
        unlinkSync(lockPath);
      } catch {
        // another process broke it first
      }
      continue;
    }
    if (Date.now() >= deadline) return false;
    Atomics.wait(sleeper, 0, 0, 2);
  }
}

function isStale(lockPath: string): boolean {
  try {
    if (Date.now() - statSync(lockPath).mtimeMs > STALE_MILLIS) return true;
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ESRCH'; // the owner is gone; ENOENT: released meanwhile, retry
  }
}
