import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs';
import { claimSpoolDirectory } from '../../src/spool/spool-directory-claim';
import { tryLockSpoolDirectory } from '../../src/spool/spool-lock';
import { isProcessAlive, processIdentity } from '../../src/spool/process-liveness';

const freshDir = useTempDirs('spool-lock-');

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
}

describe('spool lock', () => {
  it('is exclusive, records pid and identity, and is released', () => {
    const dir = freshDir();
    const first = tryLockSpoolDirectory(dir);
    expect(first.acquired).toBe(true);
    const content = readFileSync(join(dir, 'lock'), 'utf8');
    expect(content.split(' ')[0]).toBe(String(process.pid));
    expect(content.trim().split(' ')[1]).toBe(processIdentity(process.pid));
    expect((statSync(join(dir, 'lock')).mode & 0o777).toString(8)).toBe('600');
    // A second processor in the same process is kept out as well.
    expect(tryLockSpoolDirectory(dir)).toEqual({ acquired: false, ownerPid: process.pid });
    if (first.acquired) first.lock.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves a lock of a live process alone', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'lock'), `${process.ppid}\n`);
    expect(tryLockSpoolDirectory(dir)).toEqual({ acquired: false, ownerPid: process.ppid });
  });

  it('takes over the lock of a dead process, of a reused pid, and of an earlier incarnation of this pid', () => {
    for (const stale of [`${deadPid()}\n`, `${process.ppid} not-the-same-boot:1\n`, `${process.pid}\n`]) {
      const dir = freshDir();
      writeFileSync(join(dir, 'lock'), stale);
      const attempt = tryLockSpoolDirectory(dir);
      expect(attempt.acquired, stale).toBe(true);
      expect(readFileSync(join(dir, 'lock'), 'utf8').startsWith(`${process.pid} `)).toBe(true);
      if (attempt.acquired) attempt.lock.release();
    }
  });

  it('sweeps temp locks of dead lockers but not a fresh takeover marker', () => {
    const dir = freshDir();
    writeFileSync(join(dir, `lock.${deadPid()}.abcdef.tmp`), '1\n');
    writeFileSync(join(dir, 'lock.takeover-123'), '');
    const attempt = tryLockSpoolDirectory(dir);
    expect(readdirSync(dir).sort()).toEqual(['lock', 'lock.takeover-123']);
    if (attempt.acquired) attempt.lock.release();
  });

  it('tells a zombie-free dead process from a live one', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    expect(isProcessAlive(deadPid())).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);
  });
});

describe('claiming a spool directory', () => {
  it('gives a second claimant its own pid-<pid> sub-directory, 0700', () => {
    const root = join(freshDir(), 'spool');
    const first = claimSpoolDirectory(root);
    const second = claimSpoolDirectory(root);
    const third = claimSpoolDirectory(root);
    expect(first.dir).toBe(root);
    expect(second.dir).toBe(join(root, `pid-${process.pid}`));
    expect(third.dir).toBe(join(root, `pid-${process.pid}-1`));
    for (const dir of [root, second.dir]) expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    for (const lock of [first, second, third]) lock.release();
  });
});
