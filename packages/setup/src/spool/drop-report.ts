import { diag } from '@opentelemetry/api';

/*
 * Drops are logged through diag, but a full disk can drop a batch on every write; so the first drop is
 * logged at once and later ones are summed into at most one message per interval.
 *
 * With the integrity chain on, whoever listens (`onLostPayload`) is also handed the OTLP payload of each
 * batch lost after signing, so its links are declared lost; `payload` is only called then (reading a
 * file costs nothing when no chain listens).
 */
export type LostPayload = () => Uint8Array | undefined;

export class DropReport {
  private unreportedSpans = 0;
  private unreportedBatches = 0;
  private reasons = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  onLostPayload: ((payload: Uint8Array | undefined) => void) | undefined;

  constructor(private readonly intervalMillis = 10_000) {}

  record(spans: number, reason: string, payload?: LostPayload): void {
    if (payload) this.declareLost(payload);
    this.unreportedSpans += spans;
    this.unreportedBatches += 1;
    this.reasons.add(reason);
    if (this.timer === undefined) {
      this.flush();
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.unreportedBatches > 0) this.flush();
      }, this.intervalMillis);
      this.timer.unref();
    }
  }

  /** A batch not sent and not counted as dropped (kept in rejected/ for a human): lost to the backend all the same. */
  declareLost(payload: LostPayload): void {
    if (!this.onLostPayload) return;
    try {
      this.onLostPayload(payload());
    } catch {
      // A file already gone: nothing to declare.
    }
  }

  flush(): void {
    if (this.unreportedBatches === 0) return;
    diag.warn(`llm-otel spool: dropped ${this.unreportedSpans} spans in ${this.unreportedBatches} batches (${[...this.reasons].join('; ')})`);
    this.unreportedSpans = 0;
    this.unreportedBatches = 0;
    this.reasons.clear();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
