import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from '../../packages/cli/test/cli-child';

const DEADLINE_MS = 20_000;

export interface ViewChild {
  child: ChildProcess;
  grpcUrl: string;
  /** e.g. http://127.0.0.1:43122 (no path). */
  httpBase: string;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout satisfies `predicate`; rejects with what was printed after a generous deadline. */
  waitForStdout(predicate: (text: string) => boolean, what: string): Promise<string>;
  /** Sends `signal` and resolves with the exit code and how long the exit took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** `llm-otel view <args>` (the built CLI) in a child process, on free ports unless the args say otherwise. */
export function startView(args: string[], env: Record<string, string> = {}): Promise<ViewChild> {
  const child = spawn(process.execPath, [CLI, 'view', '--grpc-port', '0', '--http-port', '0', '--no-color', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    err += text;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );

  const waitFor = (read: () => string, predicate: (text: string) => boolean, what: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!predicate(read())) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(read());
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`llm-otel view: no ${what} within ${DEADLINE_MS} ms\nstdout:\n${out}\nstderr:\n${err}`));
      }, DEADLINE_MS);
      if (!check()) listeners.add(check);
    });

  return waitFor(
    () => err,
    (text) => /receiving OTLP on (\S+) \(gRPC\) and (\S+) \(HTTP/.test(text),
    'listening line',
  ).then((text) => {
    const [, grpcUrl, httpBase] = /receiving OTLP on (\S+) \(gRPC\) and (\S+) \(HTTP/.exec(text)!;
    return {
      child,
      grpcUrl,
      httpBase,
      stdout: () => out,
      stderr: () => err,
      waitForStdout: (predicate, what) => waitFor(() => out, predicate, what),
      stop: async (signal = 'SIGINT') => {
        const started = performance.now();
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        const result = await exited;
        return { ...result, ms: performance.now() - started };
      },
    };
  });
}

/** Runs the view to completion (a start failure exits by itself). */
export function runViewToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'view', '--no-color', ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
