import type { BudgetStore, SpendIncrement, SpendTotals } from './budget-store';

/**
 * A store whose state is in this process's memory (the memory and file stores): the engine reads and
 * adds synchronously, so the check before a call is a map lookup (≤ 5 µs, bench/budgets) and an
 * alert's span event lands on the call that crossed the threshold.
 */
export interface ImmediateBudgetStore extends BudgetStore {
  peek(key: string): SpendTotals | undefined;
  addNow(increment: SpendIncrement): SpendTotals;
}

export function isImmediateStore(store: BudgetStore): store is ImmediateBudgetStore {
  return typeof (store as Partial<ImmediateBudgetStore>).peek === 'function' && typeof (store as Partial<ImmediateBudgetStore>).addNow === 'function';
}

export interface StoredSpend extends SpendTotals {
  expiresAt: number;
}

/** Adds `increment` into `entries` (integer additions only) and returns a copy of the new totals. */
export function addInto(entries: Map<string, StoredSpend>, increment: SpendIncrement): SpendTotals {
  let entry = entries.get(increment.key);
  if (!entry) {
    entry = { exactMicros: 0, estimatedMicros: 0, unpricedCalls: 0, calls: 0, expiresAt: increment.expiresAt };
    entries.set(increment.key, entry);
  }
  entry.exactMicros += increment.exactMicros;
  entry.estimatedMicros += increment.estimatedMicros;
  entry.unpricedCalls += increment.unpricedCalls;
  entry.calls += increment.calls;
  if (increment.expiresAt > entry.expiresAt) entry.expiresAt = increment.expiresAt;
  return totalsOf(entry);
}

export function totalsOf(entry: SpendTotals): SpendTotals {
  return { exactMicros: entry.exactMicros, estimatedMicros: entry.estimatedMicros, unpricedCalls: entry.unpricedCalls, calls: entry.calls };
}
