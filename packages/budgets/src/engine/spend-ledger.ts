import { diag } from '@opentelemetry/api';
import type { BudgetStore, SpendIncrement, SpendTotals } from '../store/budget-store';
import { addInto, isImmediateStore, type StoredSpend } from '../store/immediate-store';
import { dropExpired } from '../store/memory-store';

const MAX_MIRRORED_KEYS = 100_000;

/**
 * The engine's synchronous view of spend. With an in-process store (memory, file) it is the store
 * itself. With a remote one (Redis) it is a mirror: each add goes to the store in the background
 * and the mirror takes the store's totals when it answers (plus what is still on its way), so other
 * replicas' spend shows up at this replica's next add; a check never waits on the network.
 */
export class SpendLedger {
  private readonly mirror = new Map<string, StoredSpend>();
  private readonly inFlight = new Map<string, StoredSpend>();
  private readonly pending = new Set<Promise<unknown>>();
  private failureReported = false;

  constructor(
    readonly store: BudgetStore,
    private readonly now: () => number,
  ) {}

  peek(key: string): SpendTotals | undefined {
    return isImmediateStore(this.store) ? this.store.peek(key) : this.mirror.get(key);
  }

  /** Adds and returns the totals after the add, as far as this process knows them now. */
  add(increment: SpendIncrement): SpendTotals {
    const store = this.store;
    if (isImmediateStore(store)) return store.addNow(increment);
    if (!this.mirror.has(increment.key) && this.mirror.size >= MAX_MIRRORED_KEYS) dropExpired(this.mirror, this.now(), MAX_MIRRORED_KEYS);
    const after = addInto(this.mirror, increment);
    addInto(this.inFlight, increment);
    const sent = store.add(increment).then(
      (totals) => {
        const flying = this.inFlight.get(increment.key)!;
        addTotals(flying, increment, -1);
        if (flying.calls <= 0) this.inFlight.delete(increment.key);
        // The store's totals include this add; adds still on their way are not in them yet.
        const mirrored: StoredSpend = { ...totals, expiresAt: increment.expiresAt };
        const still = this.inFlight.get(increment.key);
        if (still) addTotals(mirrored, still, 1);
        this.mirror.set(increment.key, mirrored);
      },
      (error: unknown) => {
        const flying = this.inFlight.get(increment.key);
        if (flying) addTotals(flying, increment, -1);
        if (!this.failureReported) {
          this.failureReported = true;
          diag.error(`llm-otel: the ${store.kind} budget store failed; spend is counted in this process only until it answers: ${(error as Error).message}`);
        }
      },
    );
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
    return after;
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}

function addTotals(entry: SpendTotals, other: SpendTotals, sign: 1 | -1): void {
  entry.exactMicros += sign * other.exactMicros;
  entry.estimatedMicros += sign * other.estimatedMicros;
  entry.unpricedCalls += sign * other.unpricedCalls;
  entry.calls += sign * other.calls;
}
