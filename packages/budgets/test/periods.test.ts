import { describe, expect, test } from 'vitest';
import { BudgetEngine, decodeSpendKey, MemoryBudgetStore, spendKeyPrefix, type BudgetAlert } from '../src/index';
import { periodOf } from '../src/period/calendar-period';
import { EventRecorder, ManualClock, summary } from './support/calls';

const HOUR = 3_600_000;

async function periodsOf(store: MemoryBudgetStore, budget: string): Promise<Record<string, number>> {
  const periods: Record<string, number> = {};
  for await (const [key, totals] of store.entries(spendKeyPrefix(budget))) periods[decodeSpendKey(key)!.period] = totals.exactMicros;
  return periods;
}

describe('calendar periods in a time zone', () => {
  test.each([
    // Europe/Berlin: 2026-03-29 has 23 hours (02:00 CET → 03:00 CEST), 2026-10-25 has 25 (03:00 CEST → 02:00 CET).
    ['Europe/Berlin', '2026-03-29', Date.UTC(2026, 2, 28, 23), 23],
    ['Europe/Berlin', '2026-10-25', Date.UTC(2026, 9, 24, 22), 25],
    // America/New_York: 2026-03-08 has 23 hours, 2026-11-01 has 25.
    ['America/New_York', '2026-03-08', Date.UTC(2026, 2, 8, 5), 23],
    ['America/New_York', '2026-11-01', Date.UTC(2026, 10, 1, 4), 25],
  ])('%s %s: one period (local midnight at %i), neither doubled nor lost', (timeZone, date, localMidnight, hours) => {
    const ids = new Set<string>();
    // Every 15 minutes from an hour before local midnight to an hour after the next one.
    for (let at = localMidnight - HOUR; at <= localMidnight + (hours + 1) * HOUR; at += HOUR / 4) ids.add(periodOf('day', at, timeZone).id);
    const days = [...ids];
    expect(days).toHaveLength(3);
    expect(days[1]).toBe(`day:${date}`);
    // The day's own instants: exactly `hours` hours of them.
    let count = 0;
    for (let at = localMidnight - 2 * HOUR; at < localMidnight + 27 * HOUR; at += HOUR) if (periodOf('day', at, timeZone).id === `day:${date}`) count++;
    expect(count).toBe(hours);
    // The key may expire only after the period ends.
    const lastHour = localMidnight + (hours - 1) * HOUR;
    expect(periodOf('day', lastHour, timeZone).endsBefore).toBeGreaterThanOrEqual(localMidnight + hours * HOUR);
  });

  test('months: the local month, and an end bound after its last instant', () => {
    expect(periodOf('month', Date.UTC(2026, 0, 31, 23, 30), 'Europe/Berlin').id).toBe('month:2026-02');
    expect(periodOf('month', Date.UTC(2026, 0, 31, 23, 30), 'UTC').id).toBe('month:2026-01');
    const lastInstant = Date.UTC(2026, 1, 28, 22, 59);
    expect(periodOf('month', lastInstant, 'Europe/Berlin').endsBefore).toBeGreaterThan(lastInstant + HOUR);
  });
});

describe('clocks that jump', () => {
  test("a clock set back an hour over midnight: the spend goes to the day its wall time names; the new day's alert is not sent again", () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1, 23, 50));
    const store = new MemoryBudgetStore();
    const alerts: BudgetAlert[] = [];
    const engine = new BudgetEngine({
      budgets: [{ name: 'd', limitUsd: 0.002, period: 'day', warnAt: false }],
      store,
      now: clock.now,
      onAlert: (alert) => alerts.push(alert),
    });
    engine.onCallCompleted(summary(0.001), new EventRecorder());
    clock.ms += 20 * 60_000; // 00:10 on June 2nd
    engine.onCallCompleted(summary(0.002), new EventRecorder());
    expect(alerts.map((alert) => alert.periodId)).toEqual(['day:2026-06-02']);
    clock.ms -= HOUR; // back to 23:10 on June 1st (NTP step)
    engine.onCallCompleted(summary(0.0005), new EventRecorder());
    clock.ms += HOUR; // and forward again
    engine.onCallCompleted(summary(0.002), new EventRecorder());
    expect(alerts.map((alert) => alert.periodId)).toEqual(['day:2026-06-02']);
    return expect(periodsOf(store, 'd')).resolves.toEqual({ 'day:2026-06-01': 1500, 'day:2026-06-02': 4000 });
  });

  test('Europe/Berlin fall-back night: the repeated hour 02:00-03:00 stays in one day, one alert', async () => {
    const clock = new ManualClock(Date.UTC(2026, 9, 24, 23, 30)); // 01:30 CEST, 2026-10-25
    const store = new MemoryBudgetStore();
    const alerts: BudgetAlert[] = [];
    const engine = new BudgetEngine({
      budgets: [{ name: 'b', limitUsd: 0.003, period: 'day', timeZone: 'Europe/Berlin', warnAt: false }],
      store,
      now: clock.now,
      onAlert: (alert) => alerts.push(alert),
    });
    for (let i = 0; i < 12; i++) {
      engine.onCallCompleted(summary(0.0005), new EventRecorder());
      clock.ms += HOUR / 4; // through 02:00-03:00 CEST and again 02:00-03:00 CET
    }
    expect(await periodsOf(store, 'b')).toEqual({ 'day:2026-10-25': 6000 });
    expect(alerts).toHaveLength(1);
  });
});
