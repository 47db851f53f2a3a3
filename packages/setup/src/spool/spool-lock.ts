import { linkSync, openSync, closeSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { FILE_MODE } from './durable-write';
import { isProcessAlive, processIdentity } from './process-liveness';

/*
 * One writer per spool directory. The lock is a file `lock` holding "<pid> <identity>", created
 * atomically by link(2) from a complete temp file (so a reader never sees it half-written).
 *
 * Taking over a stale lock (its process is gone) is the racy part: after a crash of a cluster, every new
 * worker sees the same stale lock at once. Only the one that creates `lock.takeover-<stale pid>`
 * exclusively may delete the stale lock, and it deletes it only if it still holds the stale content;
 * then everyone races on the atomic link again and exactly one wins. If a taker itself dies inside that
 * window, its takeover marker is ignored after TAKEOVER_MARKER_STALE_MILLIS.
 */
const LOCK_FILE = 'lock';
const TAKEOVER_MARKER_STALE_MILLIS = 30_000;
const MAX_ATTEMPTS = 50;
const LOCK_TEMP = /^lock\.(\d+)\.[0-9a-f]+\.tmp$/;
const TAKEOVER_MARKER = /^lock\.takeover-\d+$/;

/** Directories locked by this process, so a second processor in the same process is kept out too. */
const heldByThisProcess = new Set<string>();

export interface SpoolLock {
  readonly dir: string;
  release(): void;
}

export type LockAttempt = { acquired: true; lock: SpoolLock } | { acquired: false; ownerPid: number | undefined };

interface LockOwner {
  pid: number;
  identity: string | undefined;
  content: string;
}

function ownContent(): string {
  return `${process.pid} ${processIdentity(process.pid) ?? ''}`.trim() + '\n';
}

function readOwner(lockPath: string): LockOwner | undefined {
  let content: string;
  try {
    content = readFileSync(lockPath, 'utf8');
  } catch {
    return undefined;
  }
  const [pidText, identity] = content.trim().split(' ');
  return { pid: Number(pidText), identity: identity || undefined, content };
}

function sleepSync(millis: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, millis);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function linkLockFile(dir: string, lockPath: string): boolean {
  const temp = join(dir, `lock.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, ownContent(), { mode: FILE_MODE, flag: 'wx' });
  } catch (error) {
    // A full disk creates the file and then refuses its content: no empty temp per retry left behind.
    removeQuietly(temp);
    throw error;
  }
  try {
    linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never created
  }
}

function removeStaleLock(dir: string, lockPath: string, stale: LockOwner): void {
  const marker = join(dir, `lock.takeover-${stale.pid}`);
  let fd: number;
  try {
    fd = openSync(marker, 'wx', FILE_MODE);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    removeIfOlderThan(marker, TAKEOVER_MARKER_STALE_MILLIS);
    sleepSync(5);
    return;
  }
  closeSync(fd);
  try {
    if (readOwner(lockPath)?.content === stale.content) unlinkSync(lockPath);
  } finally {
    unlinkSync(marker);
  }
}

function removeIfOlderThan(path: string, millis: number): void {
  try {
    if (Date.now() - statSync(path).mtimeMs > millis) unlinkSync(path);
  } catch {
    // gone already
  }
}

/** Leftovers of lockers that died between creating a temp lock and linking it. */
function sweepLockLeftovers(dir: string): void {
  for (const name of readdirSync(dir)) {
    const temp = LOCK_TEMP.exec(name);
    if (temp && !isProcessAlive(Number(temp[1]))) removeIfOlderThan(join(dir, name), 0);
    else if (TAKEOVER_MARKER.test(name)) removeIfOlderThan(join(dir, name), TAKEOVER_MARKER_STALE_MILLIS);
  }
}

/** Tries to become the one writer of `dir` (which must exist); never waits for a live owner. */
export function tryLockSpoolDirectory(dir: string): LockAttempt {
  const key = resolve(dir);
  const lockPath = join(key, LOCK_FILE);
  let owner: LockOwner | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (heldByThisProcess.has(key)) return { acquired: false, ownerPid: process.pid };
    if (linkLockFile(key, lockPath)) {
      heldByThisProcess.add(key);
      sweepLockLeftovers(key);
      return { acquired: true, lock: { dir: key, release: () => releaseLock(key, lockPath) } };
    }
    owner = readOwner(lockPath);
    if (owner === undefined) continue; // released between our link and our read
    // Our own pid without our own registration is an earlier incarnation (pid 1 in a container).
    const stale = owner.pid === process.pid || !isProcessAlive(owner.pid, owner.identity);
    if (!stale) return { acquired: false, ownerPid: owner.pid };
    removeStaleLock(key, lockPath, owner);
  }
  return { acquired: false, ownerPid: owner?.pid };
}

function releaseLock(key: string, lockPath: string): void {
  if (!heldByThisProcess.delete(key)) return;
  try {
    if (readOwner(lockPath)?.content === ownContent()) unlinkSync(lockPath);
  } catch {
    // The directory is gone; nothing to release.
  }
}
