import type { IncomingMessage } from 'node:http';
import { diag } from '@opentelemetry/api';
import { alertPayload, type WebhookFormat } from './alert-payloads';
import type { BudgetAlert } from './budget-alert';

export interface WebhookOptions {
  /** http(s) URL; it often is a secret (Slack's are): it never appears in a diagnostic. */
  url: string;
  /** `slack` (default) or `json`. */
  format?: WebhookFormat;
  /** Extra request headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** Alerts waiting to be sent at most; newer ones are dropped, and counted, beyond it. Default 100. */
  maxQueue?: number;
  /** Attempts per alert (network error, timeout, 429, 5xx are retried). Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry, doubled each time (with jitter), ms. Default 500. */
  initialBackoffMillis?: number;
  /** Per attempt, ms. Default 5000. */
  timeoutMillis?: number;
}

export interface WebhookStats {
  sent: number;
  failed: number;
  dropped: number;
}

/**
 * Sends alerts to a webhook in the background, one at a time, over node:http(s) (not fetch: the
 * LLM hooks must not see our own traffic). It never delays or fails an LLM call: enqueue() only
 * pushes onto a bounded queue; timers are unref'd, so a hanging webhook never holds the process
 * open. Redirects are not followed (they would send the alert where it was not configured to go):
 * a 3xx counts as a failure, like a 4xx other than 429.
 */
export class WebhookNotifier {
  private readonly queue: BudgetAlert[] = [];
  private sending = false;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];
  readonly stats: WebhookStats = { sent: 0, failed: 0, dropped: 0 };
  private readonly url: URL;

  constructor(
    private readonly options: WebhookOptions,
    private readonly onDrop: () => void = () => {},
  ) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new TypeError('llm-otel: the budget webhook URL must be http or https');
  }

  enqueue(alert: BudgetAlert): void {
    if (this.closed || this.queue.length >= (this.options.maxQueue ?? 100)) {
      this.stats.dropped++;
      this.onDrop();
      return;
    }
    this.queue.push(alert);
    if (!this.sending) void this.drain();
  }

  /** Resolves when the queue is empty or `timeoutMillis` passed. */
  async flush(timeoutMillis = 5000): Promise<void> {
    if (!this.sending && this.queue.length === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMillis);
      timer.unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(timeoutMillis = 2000): Promise<void> {
    await this.flush(timeoutMillis);
    this.closed = true;
    this.stats.dropped += this.queue.length;
    this.queue.length = 0;
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      for (let alert = this.queue.shift(); alert; alert = this.queue.shift()) {
        if (await this.deliver(alert)) this.stats.sent++;
        else this.stats.failed++;
      }
    } finally {
      this.sending = false;
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async deliver(alert: BudgetAlert): Promise<boolean> {
    const body = alertPayload(alert, this.options.format ?? 'slack');
    const attempts = this.options.maxAttempts ?? 5;
    let backoff = this.options.initialBackoffMillis ?? 500;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.post(body);
      if (outcome === 'ok') return true;
      if (outcome === 'final' || attempt >= attempts || this.closed) {
        diag.warn(
          `llm-otel: a budget alert could not be delivered to the webhook (${outcome === 'final' ? 'refused' : `${attempt} attempts`}); budget "${alert.budget}" ${alert.level}`,
        );
        return false;
      }
      await sleep(backoff * (0.5 + Math.random() / 2));
      backoff *= 2;
    }
  }

  /** `ok` (2xx), `retry` (network error, timeout, 429, 5xx) or `final` (3xx, other 4xx). */
  private post(body: string): Promise<'ok' | 'retry' | 'final'> {
    return new Promise((resolve) => {
      const send = requestFor(this.url.protocol);
      let settled = false;
      const settle = (outcome: 'ok' | 'retry' | 'final') => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      try {
        const req = send(this.url, {
          method: 'POST',
          headers: { ...this.options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: this.options.timeoutMillis ?? 5000,
        });
        req.on('response', (response: IncomingMessage) => {
          response.resume(); // the body is not needed; reading it frees the socket
          const status = response.statusCode ?? 0;
          settle(status >= 200 && status < 300 ? 'ok' : status === 429 || status >= 500 ? 'retry' : 'final');
        });
        // A webhook that hangs must not keep the application's process alive.
        req.on('socket', (socket) => socket.unref());
        req.on('timeout', () => {
          req.destroy();
          settle('retry');
        });
        req.on('error', () => settle('retry'));
        req.end(body);
      } catch {
        settle('final');
      }
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * `http.request` or `https.request`, taken when an alert is first sent, through
 * `process.getBuiltinModule` rather than an import (issue 11, start-up): on Node 24 an ES-module import
 * of `node:http` reads every export for its namespace, and `http.WebSocket`'s lazy getter then loads
 * Node's whole fetch implementation (54 ms of CPU, measured), in every process that imports
 * `@llm-otel/setup`, budgets on or not.
 */
function requestFor(protocol: string): typeof import('node:http').request {
  return protocol === 'https:' ? process.getBuiltinModule('node:https').request : process.getBuiltinModule('node:http').request;
}
