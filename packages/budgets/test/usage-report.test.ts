import { describe, expect, it } from 'vitest';
import { encodeSpendKey, MemoryBudgetStore, usageReport } from '../src/index';

const END = Date.UTC(2100, 0, 1);
async function storeWith(entries: [string, number, number, number][]): Promise<MemoryBudgetStore> {
  const store = new MemoryBudgetStore();
  for (const [key, exactMicros, estimatedMicros, unpricedCalls] of entries)
    await store.add({ key, exactMicros, estimatedMicros, unpricedCalls, calls: 1, expiresAt: END });
  return store;
}

describe('usageReport', () => {
  it('one row per budget, period and scope, exact and estimated apart, sorted; filters by budget, period (exact or start) and scope', async () => {
    const store = await storeWith([
      [encodeSpendKey('daily', 'day:2026-12-02', { service: 'checkout', model: 'gpt-4o' }), 1_500, 0, 0],
      [encodeSpendKey('daily', 'day:2026-12-01', { service: 'checkout', model: 'gpt-4o' }), 2_000, 250, 1],
      [encodeSpendKey('daily', 'day:2026-12-01', { service: 'search', model: 'gpt-4o' }), 7, 0, 0],
      [encodeSpendKey('monthly', 'month:2026-12', { service: 'checkout' }), 3_500, 250, 1],
      ['llm-otel:budget:v1:not|a-key', 1, 0, 0],
      ['llm-otel:budget-alert:v1:daily|day:2026-12-01|warning', 0, 0, 0],
    ]);
    const all = await usageReport(store);
    expect(all.unreadableKeys).toBe(1); // the alert marker is outside the spend prefix
    expect(all.rows.map((row) => [row.budget, row.period, row.scope.service, row.totalMicros])).toEqual([
      ['daily', 'day:2026-12-01', 'checkout', 2_250],
      ['daily', 'day:2026-12-01', 'search', 7],
      ['daily', 'day:2026-12-02', 'checkout', 1_500],
      ['monthly', 'month:2026-12', 'checkout', 3_750],
    ]);
    expect(all.rows[0]).toMatchObject({
      exactMicros: 2_000,
      estimatedMicros: 250,
      unpricedCalls: 1,
      calls: 1,
      scope: { service: 'checkout', model: 'gpt-4o' },
    });

    const periods = async (options: Parameters<typeof usageReport>[1]) =>
      (await usageReport(store, options)).rows.map((row) => `${row.budget} ${row.period} ${row.scope.service}`);
    expect(await periods({ budget: 'monthly' })).toEqual(['monthly month:2026-12 checkout']);
    expect(await periods({ period: 'day:2026-12-01' })).toEqual(['daily day:2026-12-01 checkout', 'daily day:2026-12-01 search']);
    expect(await periods({ period: 'day:2026-12' })).toHaveLength(3);
    expect(await periods({ period: 'month' })).toEqual(['monthly month:2026-12 checkout']);
    expect(await periods({ period: 'day:2026-1' })).toEqual([]); // cut at ':' or '-' only: not December 10-19
    expect(await periods({ scope: { service: 'search' } })).toEqual(['daily day:2026-12-01 search']);
    expect(await periods({ budget: 'daily', period: 'day', scope: { model: 'gpt-4o', service: 'checkout' } })).toHaveLength(2);
  });
});
