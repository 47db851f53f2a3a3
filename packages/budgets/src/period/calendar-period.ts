import type { BudgetPeriod } from '../definition/budget-definition';

/**
 * The calendar period an instant falls in, in a time zone: `day:2026-03-29`, `month:2026-03`.
 *
 * The id is the local calendar date as `Intl` gives it, never "start + 24 h": a 23- or 25-hour DST
 * day is one period, and a clock set back an hour lands in the period its wall time names, so no
 * period is counted twice or skipped (tests: Europe/Berlin and America/New_York DST days).
 */
export interface PeriodInstant {
  id: string;
  /** An upper bound of the period's end, epoch ms (its store key may expire after it). */
  endsBefore: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local date and hour of `epochMs` in `timeZone`. */
export function localDate(epochMs: number, timeZone: string): { year: string; month: string; day: string; hour: number } {
  let year = '';
  let month = '';
  let day = '';
  let hour = 0;
  for (const part of formatter(timeZone).formatToParts(epochMs)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
    else if (part.type === 'hour') hour = Number(part.value);
  }
  return { year, month, day, hour };
}

export function periodOf(period: Exclude<BudgetPeriod, 'request'>, epochMs: number, timeZone: string): PeriodInstant {
  const { year, month, day, hour } = localDate(epochMs, timeZone);
  if (period === 'day') {
    // At most 24 - hour local hours remain, plus one for a DST day of 25 hours.
    return { id: `day:${year}-${month}-${day}`, endsBefore: epochMs + (25 - hour) * HOUR };
  }
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  return { id: `month:${year}-${month}`, endsBefore: epochMs + (daysInMonth - Number(day) + 2) * DAY };
}

/**
 * Caches the period id per (period, zone) for the current local hour: `Intl` formatting costs about
 * a microsecond, and the check before a call must stay under 5 µs (bench/budgets). An hour boundary
 * is a multiple of 15 minutes in every zone, so the cache is keyed on the quarter hour.
 */
export class PeriodClock {
  private readonly cache = new Map<string, { quarter: number; instant: PeriodInstant }>();

  constructor(readonly now: () => number = Date.now) {}

  current(period: Exclude<BudgetPeriod, 'request'>, timeZone: string, at = this.now()): PeriodInstant {
    const quarter = Math.floor(at / (15 * 60_000));
    const key = period + timeZone;
    const hit = this.cache.get(key);
    if (hit && hit.quarter === quarter) return hit.instant;
    const instant = periodOf(period, at, timeZone);
    if (this.cache.size < 1000) this.cache.set(key, { quarter, instant });
    else this.cache.clear();
    return instant;
  }
}
