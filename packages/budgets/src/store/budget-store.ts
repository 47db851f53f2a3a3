/**
 * Where spend lives. One interface for every store (memory, file, Redis), agreed with budgets-fleet
 * (TEAM.md item 5): a change here is announced in a commit message on both branches.
 *
 * Money is integer micro-dollars (1 USD = 1,000,000): additions are exact, so a million tiny costs add
 * up to what they should (floats drift, issue 14 item 5).
 */

/** Spend under one opaque key (budget + period + scope, encoded by budgets-core), integer micro-dollars. */
export interface SpendTotals {
  exactMicros: number;
  estimatedMicros: number;
  unpricedCalls: number;
  calls: number;
}

export interface SpendIncrement extends SpendTotals {
  key: string;
  /** Epoch ms after which the key may expire (end of its period plus a grace the store chooses). */
  expiresAt: number;
}

export interface BudgetStore {
  readonly kind: string; // 'memory' | 'file' | 'redis' | …
  /** Adds atomically; resolves with the totals after the add. */
  add(increment: SpendIncrement): Promise<SpendTotals>;
  get(keys: readonly string[]): Promise<Map<string, SpendTotals>>;
  /** Every key starting with `prefix` (usage reports). */
  entries(prefix?: string): AsyncIterable<[key: string, totals: SpendTotals]>;
  close(): Promise<void>;
}

export function emptyTotals(): SpendTotals {
  return { exactMicros: 0, estimatedMicros: 0, unpricedCalls: 0, calls: 0 };
}
