import { describe, expect, test } from 'vitest';
import { BudgetEngine, decodeSpendKey, MemoryBudgetStore, spendKeyPrefix, type BudgetAlert } from '../src/index';
import { EventRecorder, summary, withUser } from './support/calls';

async function totalsOf(store: MemoryBudgetStore, budget: string) {
  const all = [];
  for await (const entry of store.entries(spendKeyPrefix(budget))) all.push(entry);
  return all;
}

describe('money without drift', () => {
  test('a million calls of one micro-dollar add up to exactly $1 (a float sum does not)', async () => {
    const store = new MemoryBudgetStore();
    const engine = new BudgetEngine({ budgets: [{ name: 'm', limitUsd: 10, period: 'month' }], store });
    const span = new EventRecorder();
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      engine.onCallCompleted(summary(0.000001), span);
      float += 0.000001;
    }
    const [[, totals]] = await totalsOf(store, 'm');
    expect(totals).toEqual({ exactMicros: 1_000_000, estimatedMicros: 0, unpricedCalls: 0, calls: 1_000_000 });
    expect(float).not.toBe(1); // what integer micro-dollars avoid
  });
});

describe('what is counted', () => {
  test('estimated and exact spend apart; unpriced calls counted, not charged', async () => {
    const store = new MemoryBudgetStore();
    const engine = new BudgetEngine({ budgets: [{ name: 'all', limitUsd: 10, period: 'day' }], store });
    engine.onCallCompleted(summary(0.25), new EventRecorder());
    engine.onCallCompleted(summary(0.125, { estimated: true }), new EventRecorder());
    engine.onCallCompleted(summary(undefined, { model: 'unknown-model' }), new EventRecorder());
    const [[, totals]] = await totalsOf(store, 'all');
    expect(totals).toEqual({ exactMicros: 250_000, estimatedMicros: 125_000, unpricedCalls: 1, calls: 3 });
  });

  test('scopes: a fixed value counts only its calls; "*" keeps one total per value; a user is keyed by its pseudonym only', async () => {
    const store = new MemoryBudgetStore();
    const engine = new BudgetEngine({
      store,
      serviceName: 'billing',
      userPseudonym: (id) => `pseudo-${id.length}`,
      budgets: [
        { name: 'mini', limitUsd: 10, period: 'day', scope: { model: 'gpt-4o-mini' } },
        { name: 'per-model', limitUsd: 10, period: 'day', scope: { model: '*', service: 'billing' } },
        { name: 'per-user', limitUsd: 10, period: 'day', scope: { user: '*' } },
        { name: 'other-service', limitUsd: 10, period: 'day', scope: { service: 'search' } },
      ],
    });
    engine.onCallCompleted(summary(0.1, { model: 'gpt-4o-mini', context: withUser('alice@example.com') }), new EventRecorder());
    engine.onCallCompleted(summary(0.2, { model: 'gpt-4o' }), new EventRecorder());
    const keys = async (budget: string) =>
      (await totalsOf(store, budget)).map(([key, totals]) => [
        Object.entries(decodeSpendKey(key)!.scope)
          .map(([name, value]) => `${name}=${value}`)
          .join(','),
        totals.exactMicros,
      ]);
    expect(await keys('mini')).toEqual([['model=gpt-4o-mini', 100_000]]);
    expect(await keys('per-model')).toEqual([
      ['service=billing,model=gpt-4o-mini', 100_000],
      ['service=billing,model=gpt-4o', 200_000],
    ]);
    expect(await keys('per-user')).toEqual([['user=pseudo-17', 100_000]]);
    expect(await keys('other-service')).toEqual([]);
    const everything = JSON.stringify(await totalsOf(store, ''));
    expect(everything).not.toContain('alice');
  });
});

describe('alerts', () => {
  test('each threshold once per period: many calls after the crossing raise nothing more; the event is on the crossing call', () => {
    const alerts: BudgetAlert[] = [];
    const engine = new BudgetEngine({ budgets: [{ name: 'a', limitUsd: 1, period: 'day', warnAt: 0.5 }], onAlert: (alert) => alerts.push(alert) });
    const spans = Array.from({ length: 100 }, () => new EventRecorder());
    for (const span of spans) engine.onCallCompleted(summary(0.1), span);
    expect(alerts.map((alert) => [alert.level, alert.spentMicros])).toEqual([
      ['warning', 500_000],
      ['critical', 1_000_000],
    ]);
    const withEvents = spans.flatMap((span, index) => span.events.map((event) => [index, event.attributes?.['llm_otel.budget.alert.level']]));
    expect(withEvents).toEqual([
      [4, 'warning'],
      [9, 'critical'],
    ]);
  });

  test('one call that jumps past both thresholds raises both; a listener that throws changes nothing', () => {
    const alerts: string[] = [];
    const engine = new BudgetEngine({
      budgets: [{ name: 'jump', limitUsd: 1, period: 'month' }],
      onAlert: (alert) => {
        alerts.push(alert.level);
        throw new Error('listener bug');
      },
    });
    expect(() => engine.onCallCompleted(summary(5), new EventRecorder())).not.toThrow();
    expect(alerts).toEqual(['warning', 'critical']);
  });

  test('per-request budgets: a call costing more than the limit alerts (each such call is its own period)', () => {
    const alerts: BudgetAlert[] = [];
    const engine = new BudgetEngine({ budgets: [{ name: 'r', limitUsd: 0.5, period: 'request', warnAt: false }], onAlert: (alert) => alerts.push(alert) });
    engine.onCallCompleted(summary(0.4), new EventRecorder());
    engine.onCallCompleted(summary(0.6), new EventRecorder());
    expect(alerts.map((alert) => [alert.periodId, alert.spentMicros])).toEqual([['request', 600_000]]);
  });
});
