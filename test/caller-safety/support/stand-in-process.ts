import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const cli = fileURLToPath(new URL('../../../packages/provider-stand-in/dist/cli.js', import.meta.url));

export interface StandInProcess {
  url: string;
  child: ChildProcess;
  close(): Promise<void>;
}

/**
 * The provider stand-in in its own process (`dist/cli.js`; the root test script builds every
 * package before vitest runs): one process cannot hold both ends of 10k sockets under a 20k file limit.
 */
export async function startStandInProcess(args: string[]): Promise<StandInProcess> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the stand-in first (cd packages/provider-stand-in && npx tsup)`);
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => ['exited'])])) as [string];
  lines.close();
  const match = /^LISTENING (\S+)$/.exec(line);
  if (!match) throw new Error(`the stand-in process printed '${line}' instead of LISTENING <url>`);
  return {
    url: match[1],
    child,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}
