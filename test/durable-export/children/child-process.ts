import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./spool-child.mjs', import.meta.url));

export type ChildEvent = { event: string; [key: string]: unknown };

/** A spawned spool child and the JSON events it has printed so far. */
export class SpoolChild {
  readonly events: ChildEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly process: ChildProcess;
  private stderr = '';
  private listeners: Array<() => void> = [];

  constructor(config: Record<string, unknown>) {
    this.process = spawn(process.execPath, [childScript, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.process.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ChildEvent);
      } catch {
        this.stderr += `stdout: ${line}\n`;
      }
      for (const listener of this.listeners) listener();
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.process.pid!;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** Resolves when the events satisfy `predicate`; rejects if the child exits first or on timeout. */
  waitFor(predicate: (events: ChildEvent[]) => boolean, timeoutMs = 20_000): Promise<ChildEvent[]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`child ${this.pid}: timed out; stderr: ${this.stderr}`)), timeoutMs);
      const check = () => {
        if (predicate(this.events)) finish();
      };
      const finish = (error?: Error) => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        if (error) reject(error);
        else resolve(this.events);
      };
      this.listeners.push(check);
      void this.exited.then(({ code, signal }) => {
        if (!predicate(this.events)) finish(new Error(`child ${this.pid} exited (${code ?? signal}) early; stderr: ${this.stderr}`));
      });
      check();
    });
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    await this.exited;
  }

  durableIds(): string[] {
    return this.events.filter((e) => e.event === 'durable').flatMap((e) => e.ids as string[]);
  }

  finalStats(): ChildEvent | undefined {
    return this.events.find((e) => e.event === 'stats');
  }
}
