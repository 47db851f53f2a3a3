import { context, diag } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { BatchTransport } from './export-outcome';
import { retryDelayMillis } from './retry-delay';
import type { SpoolStore } from './spool-store';

export interface SpoolSenderOptions {
  timeoutMillis: number;
  retryInitialMillis: number;
  retryMaxMillis: number;
}

/*
 * Ships stored batches one at a time, oldest first, until the spool is empty or an attempt fails
 * retryably; then it waits out an exponential backoff (with jitter, at least the backend's
 * Retry-After) and starts over. Success deletes the file; a permanent refusal moves it to rejected/;
 * a file failing its checksum is quarantined by the store and the next one is taken.
 */
export class SpoolSender {
  private running = false;
  private stopped = false;
  private failures = 0;
  private backoff: NodeJS.Timeout | undefined;
  /** forceFlush callers: told when the spool is empty or an attempt has failed. */
  private waiters: Array<() => void> = [];

  constructor(
    private readonly store: SpoolStore,
    private readonly transport: BatchTransport,
    private readonly options: SpoolSenderOptions,
  ) {}

  /** A batch was written: ship it now, unless a backoff is running. */
  wake(): void {
    if (this.stopped || this.running || this.backoff !== undefined) return;
    this.run();
  }

  /**
   * Tries at once, even during a backoff. Resolves when the spool is empty, when an attempt failed
   * retryably (the backend is down: the batches are safe on disk), or after `deadlineMillis`.
   */
  drain(deadlineMillis: number): Promise<void> {
    if (this.stopped || (this.store.fileCount === 0 && !this.running)) return Promise.resolve();
    return new Promise((resolve) => {
      const deadline = setTimeout(done, deadlineMillis);
      deadline.unref();
      function done(): void {
        clearTimeout(deadline);
        resolve();
      }
      this.waiters.push(done);
      if (this.backoff !== undefined) {
        clearTimeout(this.backoff);
        this.backoff = undefined;
      }
      if (!this.running) this.run();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.backoff !== undefined) clearTimeout(this.backoff);
    this.backoff = undefined;
    this.notifyWaiters();
  }

  private run(): void {
    this.running = true;
    this.sendUntilEmptyOrFailed().catch((error: unknown) => {
      this.running = false;
      diag.error(`llm-otel spool: sender stopped unexpectedly: ${(error as Error).message}`);
      this.scheduleRetry();
    });
  }

  private async sendUntilEmptyOrFailed(): Promise<void> {
    while (!this.stopped) {
      const entry = this.store.takeOldest();
      if (entry === undefined) break;
      const batch = await this.store.read(entry);
      if (!batch.ok) continue;
      // The exporter's own HTTP/gRPC traffic must never become spans.
      const outcome = await context.with(suppressTracing(context.active()), () =>
        this.transport.send(batch.payload, this.options.timeoutMillis),
      );
      if (outcome.kind === 'accepted') {
        this.recovered();
        if (outcome.partialSuccess) {
          const { rejectedSpans, errorMessage } = outcome.partialSuccess;
          diag.warn(`llm-otel spool: backend accepted ${entry.name} partially: ${rejectedSpans} spans rejected (${errorMessage})`);
        }
        this.store.settleSent(entry);
      } else if (outcome.kind === 'rejected') {
        this.recovered();
        this.store.settleRejected(entry, outcome.reason);
      } else {
        this.store.settleUnsent(entry);
        this.failures += 1;
        this.running = false;
        this.scheduleRetry(outcome.retryAfterMillis, outcome.reason);
        this.notifyWaiters();
        return;
      }
    }
    this.running = false;
    this.notifyWaiters();
  }

  private recovered(): void {
    if (this.failures > 0) diag.info('llm-otel spool: backend reachable again');
    this.failures = 0;
  }

  private scheduleRetry(retryAfterMillis?: number, reason = 'sender error'): void {
    if (this.stopped) return;
    const delay = retryDelayMillis(this.failures, this.options.retryInitialMillis, this.options.retryMaxMillis, retryAfterMillis);
    const message = `llm-otel spool: export failed (${reason}); ${this.store.fileCount} batches kept on disk, retry in ${delay} ms`;
    if (this.failures <= 1) diag.warn(message);
    else diag.debug(message);
    this.backoff = setTimeout(() => {
      this.backoff = undefined;
      if (!this.running) this.run();
    }, delay);
    this.backoff.unref();
  }

  private notifyWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const done of waiters) done();
  }
}
