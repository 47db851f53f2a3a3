import { context, diag } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { BatchStore, SpoolEntry } from './batch-store';
import type { BatchTransport, ExportOutcome } from './export-outcome';
import { concatRequests, splitRequest } from './otlp-payload';
import type { ResourceFixer } from './resource-fixer';
import { retryDelayMillis } from './retry-delay';
import type { SpoolCounters } from './spool-stats';

export interface SpoolSenderOptions {
  /** Deadline of one export request (the exporter's timeout). */
  timeoutMillis: number;
  /** Deadline of one export attempt as a whole, as the BatchSpanProcessor's exportTimeoutMillis. */
  exportTimeoutMillis: number;
  retryInitialMillis: number;
  retryMaxMillis: number;
}

interface Part {
  payload: Uint8Array;
  spans: number;
}

/*
 * Ships stored batches one at a time, oldest first, until the spool is empty or an attempt fails
 * retryably; then it waits out an exponential backoff (with jitter, at least the backend's
 * Retry-After) and starts over. Success deletes the file; a permanent refusal moves it to rejected/;
 * a file failing its checksum is quarantined by the store and the next one is taken.
 *
 * A batch refused for its size (HTTP 413; gRPC RESOURCE_EXHAUSTED "larger than max") is split in halves
 * and the halves are sent in order, splitting again as needed; a single span that is still too large is
 * set aside in rejected/ and counted (`tooLargeSpans`). If the backend fails retryably half-way, the file
 * is replaced in place by what is still unsent, so its place in the order is kept and nothing sent is
 * sent again.
 */
export class SpoolSender {
  private running = false;
  private stopped = false;
  private failures = 0;
  private backoff: NodeJS.Timeout | undefined;
  /** forceFlush callers: told when the spool is empty or an attempt has failed. */
  private waiters: Array<() => void> = [];

  constructor(
    private readonly store: BatchStore,
    private readonly transport: BatchTransport,
    private readonly options: SpoolSenderOptions,
    private readonly counters: SpoolCounters,
    private readonly resources: ResourceFixer,
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
      const entry = this.store.oldest();
      if (entry === undefined) break;
      this.store.take(entry);
      let failure: Extract<ExportOutcome, { kind: 'retryable' }> | undefined;
      try {
        await this.resources.fix(entry);
        const batch = await this.store.read(entry);
        if (!batch.ok) continue;
        failure = await this.sendInParts(entry, batch.payload);
      } catch (error) {
        // Never leave a batch marked in flight: it would be skipped (and never evicted) for good.
        this.store.settleUnsent(entry);
        throw error;
      }
      if (failure) {
        this.failures += 1;
        this.running = false;
        this.scheduleRetry(failure.retryAfterMillis, failure.reason);
        this.notifyWaiters();
        return;
      }
    }
    this.running = false;
    this.notifyWaiters();
  }

  /** Sends one stored batch, split as the backend requires; settles it; returns the retryable failure, if any. */
  private async sendInParts(entry: SpoolEntry, payload: Uint8Array): Promise<Extract<ExportOutcome, { kind: 'retryable' }> | undefined> {
    const parts: Part[] = [{ payload, spans: entry.spans }];
    let split = false;
    while (parts.length > 0) {
      const part = parts[0];
      const outcome = await this.send(part.payload);
      if (outcome.kind === 'accepted') {
        this.recovered();
        if (outcome.partialSuccess) {
          const { rejectedSpans, errorMessage } = outcome.partialSuccess;
          diag.warn(`llm-otel spool: backend accepted ${entry.name} partially: ${rejectedSpans} spans rejected (${errorMessage})`);
        }
        parts.shift();
      } else if (outcome.kind === 'tooLarge') {
        this.recovered();
        const halves = splitOrUndefined(part.payload);
        if (halves) {
          diag.info(`llm-otel spool: backend refused ${part.spans} spans of ${entry.name} as too large (${outcome.reason}); sending them in two parts`);
          parts.splice(0, 1, { payload: halves[0], spans: halves[1] }, { payload: halves[2], spans: halves[3] });
          split = true;
        } else {
          this.counters.tooLargeSpans += part.spans;
          await this.store.setAsidePart(part.payload, part.spans, entry.createdMillis, `${outcome.reason} (a single span too large)`);
          parts.shift();
        }
      } else if (outcome.kind === 'rejected') {
        this.recovered();
        if (!split) {
          this.store.settleRejected(entry, outcome.reason);
          return undefined;
        }
        await this.store.setAsidePart(part.payload, part.spans, entry.createdMillis, outcome.reason);
        parts.shift();
      } else {
        if (split) await this.keepOnlyUnsent(entry, parts);
        this.store.settleUnsent(entry);
        return outcome;
      }
    }
    this.store.settleSent(entry);
    return undefined;
  }

  /** After a split, the file keeps only the parts not yet sent; if it cannot be rewritten, the whole batch is sent again later (at least once). */
  private async keepOnlyUnsent(entry: SpoolEntry, parts: readonly Part[]): Promise<void> {
    const spans = parts.reduce((sum, rest) => sum + rest.spans, 0);
    try {
      await this.store.replacePayload(entry, concatRequests(parts.map((rest) => rest.payload)), spans);
    } catch (error) {
      diag.warn(`llm-otel spool: could not rewrite ${entry.name} with its unsent part: ${(error as Error).message}; it will be sent whole again`);
    }
  }

  private send(payload: Uint8Array): Promise<ExportOutcome> {
    const deadline = Math.min(this.options.timeoutMillis, this.options.exportTimeoutMillis);
    // The exporter's own HTTP/gRPC traffic must never become spans.
    return context.with(suppressTracing(context.active()), () => this.transport.send(payload, deadline));
  }

  private recovered(): void {
    if (this.failures > 0) diag.info('llm-otel spool: backend reachable again');
    this.failures = 0;
  }

  private scheduleRetry(retryAfterMillis?: number, reason = 'sender error'): void {
    if (this.stopped) return;
    const delay = retryDelayMillis(this.failures, this.options.retryInitialMillis, this.options.retryMaxMillis, retryAfterMillis);
    const message = `llm-otel spool: export failed (${reason}); ${this.store.fileCount} batches kept, retry in ${delay} ms`;
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

/** A payload that does not parse cannot be split either; it is set aside like a single span. */
function splitOrUndefined(payload: Uint8Array): ReturnType<typeof splitRequest> {
  try {
    return splitRequest(payload);
  } catch {
    return undefined;
  }
}
