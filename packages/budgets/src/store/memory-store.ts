import type { SpendIncrement, SpendTotals } from './budget-store';
import { addInto, totalsOf, type ImmediateBudgetStore, type StoredSpend } from './immediate-store';

/** Spend in this process only, lost on exit. Bounded: expired keys are dropped as new ones come. */
export class MemoryBudgetStore implements ImmediateBudgetStore {
  readonly kind: string = 'memory';
  protected readonly spend = new Map<string, StoredSpend>();

  constructor(
    protected readonly maxKeys = 100_000,
    protected readonly now: () => number = Date.now,
  ) {}

  peek(key: string): SpendTotals | undefined {
    return this.spend.get(key);
  }

  addNow(increment: SpendIncrement): SpendTotals {
    if (!this.spend.has(increment.key) && this.spend.size >= this.maxKeys) dropExpired(this.spend, this.now(), this.maxKeys);
    return addInto(this.spend, increment);
  }

  async add(increment: SpendIncrement): Promise<SpendTotals> {
    return this.addNow(increment);
  }

  async get(keys: readonly string[]): Promise<Map<string, SpendTotals>> {
    const found = new Map<string, SpendTotals>();
    for (const key of keys) {
      const entry = this.spend.get(key);
      if (entry) found.set(key, totalsOf(entry));
    }
    return found;
  }

  async *entries(prefix = ''): AsyncIterable<[key: string, totals: SpendTotals]> {
    for (const [key, entry] of this.spend) if (key.startsWith(prefix)) yield [key, totalsOf(entry)];
  }

  async close(): Promise<void> {}
}

/**
 * Frees room: expired keys first; when none has expired, the keys that expire first (the oldest
 * periods). Spend of a dropped key is forgotten: the bound is far above the keys of any one period.
 */
export function dropExpired(entries: Map<string, StoredSpend>, now: number, maxKeys: number): number {
  let dropped = 0;
  for (const [key, entry] of entries) {
    if (entry.expiresAt < now) {
      entries.delete(key);
      dropped++;
    }
  }
  if (entries.size < maxKeys) return dropped;
  const byExpiry = [...entries].sort((a, b) => a[1].expiresAt - b[1].expiresAt);
  for (const [key] of byExpiry.slice(0, Math.max(1, Math.floor(maxKeys / 10)))) {
    entries.delete(key);
    dropped++;
  }
  return dropped;
}
