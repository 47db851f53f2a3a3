import type { ScopeKey } from '../store/spend-key';

/** The period a limit applies to: one request, a calendar day or month in the budget's time zone. */
export type BudgetPeriod = 'request' | 'day' | 'month';

/**
 * Which calls a budget counts, and how it splits them. Per dimension: a value counts only the calls
 * with that value (`model: 'gpt-4o'`); `'*'` keeps one total per distinct value (`user: '*'` is a
 * limit per user); absent counts every call together.
 */
export type BudgetScope = Partial<Record<ScopeKey, string>>;

export interface BudgetDefinition {
  /** Names the budget in alerts, refusals, diagnostics and store keys. */
  name: string;
  /** The limit, USD (the critical threshold). */
  limitUsd: number;
  period: BudgetPeriod;
  scope?: BudgetScope;
  /** Warning threshold as a fraction of the limit, in (0, 1]; default 0.8. `false`: no warning. */
  warnAt?: number | false;
  /** Refuse a call that would exceed the limit before it is sent (opt-in). Default false. */
  hardStop?: boolean;
  /** What a hard stop does with a call to a model without a price: `allow` (default) or `refuse`. */
  unpriced?: 'allow' | 'refuse';
  /** IANA time zone of the calendar periods; default the engine's (UTC). */
  timeZone?: string;
}

/** A budget as the engine uses it: validated, defaults filled in, money in micro-dollars. */
export interface ResolvedBudget {
  readonly name: string;
  readonly limitMicros: number;
  readonly limitUsd: number;
  readonly period: BudgetPeriod;
  readonly scope: BudgetScope;
  readonly warnAt: number | undefined;
  readonly hardStop: boolean;
  readonly refuseUnpriced: boolean;
  readonly timeZone: string;
}
