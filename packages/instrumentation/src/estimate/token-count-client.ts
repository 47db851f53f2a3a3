import { diag } from '@opentelemetry/api';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TOKEN_COUNT_WORKER_SOURCE } from './token-count-worker-source';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Why a span got no estimate although it needed one (`llm_otel.usage.estimate_skipped`). */
export type EstimateSkipReason =
  /** More estimates were waiting than the backlog bounds allow. */
  | 'backlog_full'
  /** The worker could not start, died, or the tokenizer is not installed (e.g. left out of a bundle). */
  | 'tokenizer_unavailable'
  /** The worker did not answer within 30 s. */
  | 'timeout'
  /** The tokenizer failed on this text. */
  | 'failed';

/** One count per text, or why there are none. */
export type CountResult = number[] | { skipped: EstimateSkipReason };

interface Pending {
  resolve(result: CountResult): void;
  timer: NodeJS.Timeout;
  bytes: number;
}

export interface BacklogBounds {
  /** Estimates waiting for the worker at once. */
  maxPending: number;
  /** Text waiting for the worker, bytes (2 per UTF-16 code unit: what V8 may hold for it at most). */
  maxPendingBytes: number;
}

/**
 * Each waiting estimate holds its call, whose request holds the prompt. When calls end faster than
 * the worker counts (measured: 126 MB held under load with no bound, issue 9 item 13), the backlog
 * must stop growing: past these bounds an estimate is skipped, counted and said on the span.
 */
export const DEFAULT_BACKLOG_BOUNDS: BacklogBounds = { maxPending: 64, maxPendingBytes: 16 * 1024 * 1024 };

const REQUEST_TIMEOUT_MILLIS = 30_000;

/**
 * Token counting in a worker thread, started on first need and never keeping the process alive
 * (unref). When counting is impossible or the backlog is full, the result says why instead.
 */
export class TokenCountClient {
  private worker?: Worker;
  private unavailable = false;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private pendingBytes = 0;
  /** Estimates skipped because the backlog was full, since the process started. */
  skippedForBacklog = 0;

  constructor(
    private readonly bounds: BacklogBounds = DEFAULT_BACKLOG_BOUNDS,
    private readonly resolveFrom: () => string[] = tokenizerLookupBases,
  ) {}

  count(encoding: EncodingName, texts: string[]): Promise<CountResult> {
    let bytes = 0;
    for (const text of texts) bytes += 2 * text.length;
    if (this.pending.size >= this.bounds.maxPending || this.pendingBytes + bytes > this.bounds.maxPendingBytes) {
      this.skipForBacklog();
      return Promise.resolve({ skipped: 'backlog_full' });
    }
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve({ skipped: 'tokenizer_unavailable' });
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, { skipped: 'timeout' }), REQUEST_TIMEOUT_MILLIS).unref();
      this.pending.set(id, { resolve, timer, bytes });
      this.pendingBytes += bytes;
      worker.postMessage({ id, encoding, texts });
    });
  }

  private skipForBacklog(): void {
    this.skippedForBacklog++;
    // The first, then every power of two: a sustained overload is visible without a line per call.
    if ((this.skippedForBacklog & (this.skippedForBacklog - 1)) === 0) {
      diag.warn(
        `llm-otel: ${this.skippedForBacklog} token estimate(s) skipped so far: more than ${this.bounds.maxPending} estimates ` +
          `or ${this.bounds.maxPendingBytes} bytes of text were waiting for the tokenizer (spans say llm_otel.usage.estimate_skipped=backlog_full)`,
      );
    }
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker || this.unavailable) return this.worker;
    try {
      const worker = new Worker(TOKEN_COUNT_WORKER_SOURCE, {
        eval: true,
        // A clean start: without these the worker inherits the process's `--import`/`--require`
        // flags (execArgv), and a file worker re-reads NODE_OPTIONS, so a preload such as
        // `node --import @llm-otel/setup/register` ran a second time inside it (+0.35 s, +37 MiB;
        // issue 9 item 9).
        execArgv: [],
        env: withoutNodeOptions(process.env),
        workerData: { resolveFrom: this.resolveFrom() },
        name: 'llm-otel token count',
      });
      worker.on('message', (reply: { id: number; counts?: number[]; error?: string; unavailable?: boolean }) => {
        if (reply.unavailable) {
          this.fail(new Error(reply.error));
          return;
        }
        if (reply.error) diag.warn(`llm-otel: token estimate failed: ${reply.error}`);
        this.settle(reply.id, reply.counts ?? { skipped: 'failed' });
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

  private settle(id: number, result: CountResult): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    this.pendingBytes -= pending.bytes;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private fail(error: unknown): void {
    if (!this.unavailable) {
      diag.warn(
        'llm-otel: token estimation is unavailable; streams without usage get no token counts (spans say llm_otel.usage.estimate_skipped=tokenizer_unavailable)',
        error,
      );
    }
    this.unavailable = true;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate().catch(() => undefined);
    for (const id of [...this.pending.keys()]) this.settle(id, { skipped: 'tokenizer_unavailable' });
  }
}

/**
 * Where the worker looks for gpt-tokenizer: from this module (in a bundle, the bundle file, which a
 * bundler may also have rewritten to its build-time path), from the application's entry script and
 * from its working directory.
 */
function tokenizerLookupBases(): string[] {
  const bases: string[] = [];
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) bases.push(import.meta.url);
  if (process.argv[1]) bases.push(process.argv[1]);
  bases.push(join(process.cwd(), 'index.js'));
  return bases;
}

function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_OPTIONS;
  return copy;
}
