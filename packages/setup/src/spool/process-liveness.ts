import { readFileSync } from 'node:fs';

/*
 * Whether the process that wrote a lock is still running. A pid alone is not enough: after a reboot or
 * in a container (where every incarnation is pid 1) the pid in an old lock belongs to someone else.
 * On Linux the lock therefore also records the boot id and the process start time from /proc, and a
 * lock whose identity no longer matches its pid is stale. Elsewhere the pid check is all there is.
 */
function readProcText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function procStatFields(pid: number): string[] | undefined {
  const stat = readProcText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may contain spaces and parentheses; fields after the last ')' are plain.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** `<boot id>:<start time in clock ticks>`, or undefined where /proc is not available. */
export function processIdentity(pid: number): string | undefined {
  const fields = procStatFields(pid);
  const bootId = readProcText('/proc/sys/kernel/random/boot_id')?.trim();
  // fields[0] is field 3 (state); the start time is field 22.
  const startTicks = fields?.[19];
  return bootId && startTicks ? `${bootId}:${startTicks}` : undefined;
}

export function isProcessAlive(pid: number, identity?: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const fields = procStatFields(pid);
  // A zombie (killed, not yet reaped) still answers signal 0 but will never write again.
  if (fields && (fields[0] === 'Z' || fields[0] === 'X')) return false;
  if (identity) {
    const current = processIdentity(pid);
    if (current !== undefined && current !== identity) return false;
  }
  return true;
}
