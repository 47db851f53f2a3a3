import { spawn } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface NodeChild {
  readonly pid: number;
  /** Resolves once stdout has a line equal to `line`; rejects if the child exits first. */
  waitForLine(line: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the child has exited; a child still running after `timeoutMs` is killed and this rejects. */
  readonly exited: Promise<ChildExit>;
}

export interface NodeChildOptions {
  cwd: string;
  /** The whole environment of the child (nothing leaks in from the test process but PATH and HOME). */
  env?: Record<string, string>;
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * Runs `node <args>` with the Node that runs the tests, as a user would run their app: no vitest,
 * no loaders, built JavaScript only.
 */
export function startNode(args: string[], options: NodeChildOptions): NodeChild {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));

  const timeoutMs = options.timeoutMs ?? 30_000;
  const exited = new Promise<ChildExit>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} still running after ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    // 'close' rather than 'exit': it comes once the pipes are drained too, so stdout is complete.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  exited.catch(() => undefined);

  return {
    pid: child.pid ?? -1,
    exited,
    kill: (signal) => child.kill(signal),
    waitForLine: (line) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.split('\n').includes(line)) {
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
        exited.then(
          (exit) =>
            reject(
              new Error(`child exited (code ${exit.code}, signal ${exit.signal}) before printing '${line}'\nstdout: ${exit.stdout}\nstderr: ${exit.stderr}`),
            ),
          reject,
        );
      }),
  };
}

/** Runs `node <args>` to completion. */
export function runNode(args: string[], options: NodeChildOptions): Promise<ChildExit> {
  return startNode(args, options).exited;
}
