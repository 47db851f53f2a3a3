// One racer for the spool lock. argv[2]: { lockModule, dir }.
// Prints {"ready":true}, waits for a line on stdin (sent to all racers at once), tries the lock, prints
// {acquired, ownerPid}; a winner holds the lock until stdin ends, so every loser sees a live owner.
import { once } from 'node:events';

const { lockModule, dir } = JSON.parse(process.argv[2]);
const { tryLockSpoolDirectory } = await import(lockModule);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
await once(process.stdin, 'data');
const attempt = tryLockSpoolDirectory(dir);
const ownerPid = attempt.acquired ? process.pid : attempt.ownerPid;
process.stdout.write(`${JSON.stringify({ acquired: attempt.acquired, ownerPid })}\n`);
if (attempt.acquired) {
  process.stdin.resume();
  await once(process.stdin, 'end');
  attempt.lock.release();
}
process.exit(0);
