import { diag } from '@opentelemetry/api';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export type EncodingName = 'o200k_base' | 'cl100k_base';

interface Pending {
  resolve(counts: number[] | undefined): void;
  timer: NodeJS.Timeout;
}

const REQUEST_TIMEOUT_MILLIS = 30_000;

/**
 * Token counting in a worker thread, started on first need and never keeping the process alive
 * (unref). Resolves undefined when counting is impossible (the worker file is missing because an
 * application bundler left it out, or the worker died): the span then simply has no estimate.
 */
export class TokenCountClient {
  private worker?: Worker;
  private unavailable = false;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  count(encoding: EncodingName, texts: string[]): Promise<number[] | undefined> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, undefined), REQUEST_TIMEOUT_MILLIS).unref();
      this.pending.set(id, { resolve, timer });
      worker.postMessage({ id, encoding, texts });
    });
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.unavailable) return this.worker;
    try {
      const path = createRequire(import.meta.url).resolve('@llm-otel/instrumentation/token-count-worker');
      const worker = new Worker(path);
      worker.on('message', (reply: { id: number; counts?: number[]; error?: string }) => {
        if (reply.error) diag.warn(`llm-otel: token estimate failed: ${reply.error}`);
        this.settle(reply.id, reply.counts);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', () => this.fail(new Error('the token-count worker exited')));
      // After the listeners: on Node 20 adding a 'message' listener refs the worker's port again, and
      // a referenced worker would keep the application's process from exiting.
      worker.unref();
      this.worker = worker;
    } catch (error) {
      this.fail(error);
    }
    return this.worker;
  }

  private settle(id: number, counts: number[] | undefined): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(counts);
  }

  private fail(error: unknown): void {
    if (!this.unavailable) diag.warn('llm-otel: token estimation is unavailable; streams without usage get no token counts', error);
    this.unavailable = true;
    this.worker = undefined;
    for (const id of [...this.pending.keys()]) this.settle(id, undefined);
  }
}
