import type { BudgetPeriod } from '../definition/budget-definition';
import type { ScopeValues } from '../store/spend-key';

/** `warning`: spend reached the budget's warning fraction; `critical`: it reached the limit. */
export type AlertLevel = 'warning' | 'critical';

/**
 * A threshold crossed, once per budget, threshold, period and scope. Scope values are what the
 * budget is split by; a user is its pseudonym, never the raw id.
 */
export interface BudgetAlert {
  readonly budget: string;
  readonly level: AlertLevel;
  /** The threshold as a fraction of the limit (1 for critical). */
  readonly threshold: number;
  readonly period: BudgetPeriod;
  /** `day:2026-12-01`, `month:2026-12`, `request`. */
  readonly periodId: string;
  readonly scope: ScopeValues;
  readonly limitUsd: number;
  /** Spend in the period after the call that crossed, exact plus estimated, USD. */
  readonly spentUsd: number;
  readonly spentMicros: number;
  readonly estimatedMicros: number;
  readonly unpricedCalls: number;
  /** ISO 8601 time of the crossing. */
  readonly at: string;
}

export type AlertListener = (alert: BudgetAlert) => void;
