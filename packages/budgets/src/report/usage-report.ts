import type { BudgetStore, SpendTotals } from '../store/budget-store';
import { decodeSpendKey, SCOPE_KEYS, type ScopeKey, type ScopeValues, spendKeyPrefix } from '../store/spend-key';

export interface UsageReportOptions {
  /** Only this budget. */
  budget?: string;
  /**
   * Only these periods: an exact id (`day:2026-12-01`, `month:2026-12`) or the start of ids, cut at
   * `:` or `-` (`day`, `month`, `day:2026-12` for every day of December).
   */
  period?: string;
  /** Only rows whose scope has these values (`{ service: 'checkout' }`); user values are pseudonyms. */
  scope?: ScopeValues;
}

/** One budget's spend in one period and scope, integer micro-dollars. */
export interface UsageRow extends SpendTotals {
  budget: string;
  period: string;
  scope: ScopeValues;
  /** exactMicros + estimatedMicros. */
  totalMicros: number;
}

export interface UsageReport {
  rows: UsageRow[];
  /** Keys under the spend prefix that are not spend keys of this version (skipped, not guessed at). */
  unreadableKeys: number;
}

function periodMatches(period: string, wanted: string | undefined): boolean {
  if (wanted === undefined || period === wanted) return true;
  return period.startsWith(`${wanted}:`) || period.startsWith(`${wanted}-`);
}

function scopeMatches(scope: ScopeValues, wanted: ScopeValues | undefined): boolean {
  if (!wanted) return true;
  return (Object.entries(wanted) as [ScopeKey, string | undefined][]).every(([name, value]) => value === undefined || scope[name] === value);
}

/** Sorts by budget, then period, then scope values in key order. */
function compareRows(a: UsageRow, b: UsageRow): number {
  if (a.budget !== b.budget) return a.budget < b.budget ? -1 : 1;
  if (a.period !== b.period) return a.period < b.period ? -1 : 1;
  for (const name of SCOPE_KEYS) {
    const left = a.scope[name] ?? '';
    const right = b.scope[name] ?? '';
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

/**
 * Spend by budget, period and scope from any `BudgetStore` (memory, file, Redis): exact and estimated
 * apart, and the calls that had no price. Reads through `entries()`, narrowed to the budget when the
 * options name one.
 */
export async function usageReport(store: BudgetStore, options: UsageReportOptions = {}): Promise<UsageReport> {
  // Narrowed by budget only: a period filter may be the start of ids, which no key prefix expresses.
  const prefix = spendKeyPrefix(options.budget);
  const rows: UsageRow[] = [];
  let unreadableKeys = 0;
  for await (const [key, totals] of store.entries(prefix)) {
    const decoded = decodeSpendKey(key);
    if (!decoded) {
      unreadableKeys++;
      continue;
    }
    if (options.budget !== undefined && decoded.budget !== options.budget) continue;
    if (!periodMatches(decoded.period, options.period) || !scopeMatches(decoded.scope, options.scope)) continue;
    rows.push({ ...decoded, ...totals, totalMicros: totals.exactMicros + totals.estimatedMicros });
  }
  rows.sort(compareRows);
  return { rows, unreadableKeys };
}
