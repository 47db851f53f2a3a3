import { MICROS_PER_USD } from '../money';
import { SCOPE_KEYS } from '../store/spend-key';
import type { BudgetDefinition, ResolvedBudget } from './budget-definition';

const PERIODS = new Set(['request', 'day', 'month']);
const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);
const FIELDS = new Set(['name', 'limitUsd', 'period', 'scope', 'warnAt', 'hardStop', 'unpriced', 'timeZone']);
/** Above this a limit in micro-dollars would lose integer precision (2^53). */
const MAX_LIMIT_USD = 1e9;

export interface BudgetCheckContext {
  /** The engine's default time zone. */
  timeZone: string;
  /** Without a pseudonymiser a user scope cannot be keyed without the raw id: refused. */
  hasUserPseudonym: boolean;
}

/**
 * Checks one budget from options, a file or the environment (untrusted: `unknown`). Returns the
 * resolved budget or a message naming it (`budget "x": ...`, or its position when it has no name).
 */
export function resolveBudget(input: unknown, index: number, context: BudgetCheckContext): ResolvedBudget | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return `budget #${index + 1}: must be an object`;
  const raw = input as Record<string, unknown>;
  const label = typeof raw.name === 'string' && raw.name !== '' ? `budget "${raw.name}"` : `budget #${index + 1}`;
  const problem = (message: string) => `${label}: ${message}`;
  if (typeof raw.name !== 'string' || raw.name.trim() === '') return problem('needs a non-empty name');
  if (raw.name.length > 200) return problem('name is longer than 200 characters');
  for (const field of Object.keys(raw)) if (!FIELDS.has(field)) return problem(`unknown field "${field}"`);
  const limit = raw.limitUsd;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit <= 0) return problem('limitUsd must be a positive number of US dollars');
  if (limit > MAX_LIMIT_USD) return problem(`limitUsd must be at most ${MAX_LIMIT_USD}`);
  if (typeof raw.period !== 'string' || !PERIODS.has(raw.period)) return problem('period must be "request", "day" or "month"');
  const scope: Record<string, string> = {};
  if (raw.scope !== undefined) {
    if (typeof raw.scope !== 'object' || raw.scope === null || Array.isArray(raw.scope)) return problem('scope must be an object');
    for (const [key, value] of Object.entries(raw.scope)) {
      if (!SCOPE_KEY_SET.has(key)) return problem(`unknown scope key "${key}" (known: ${SCOPE_KEYS.join(', ')})`);
      if (typeof value !== 'string' || value === '') return problem(`scope.${key} must be a non-empty string (a value, or "*" for one total per value)`);
      scope[key] = value;
    }
  }
  if (scope.user !== undefined && !context.hasUserPseudonym) {
    return problem('a user scope needs a userPseudonym function (raw user ids never go into store keys or alerts)');
  }
  if (scope.user !== undefined && scope.user !== '*') return problem('scope.user must be "*" (a single user is named by its pseudonym only through "*")');
  let warnAt: number | undefined = 0.8;
  if (raw.warnAt === false) warnAt = undefined;
  else if (raw.warnAt !== undefined) {
    if (typeof raw.warnAt !== 'number' || !(raw.warnAt > 0 && raw.warnAt <= 1)) return problem('warnAt must be a fraction in (0, 1], or false');
    warnAt = raw.warnAt === 1 ? undefined : raw.warnAt;
  }
  if (raw.hardStop !== undefined && typeof raw.hardStop !== 'boolean') return problem('hardStop must be true or false');
  if (raw.unpriced !== undefined && raw.unpriced !== 'allow' && raw.unpriced !== 'refuse') return problem('unpriced must be "allow" or "refuse"');
  const timeZone = raw.timeZone === undefined ? context.timeZone : raw.timeZone;
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) return problem(`timeZone ${JSON.stringify(timeZone)} is not an IANA time zone`);
  return {
    name: raw.name,
    limitUsd: limit,
    limitMicros: Math.round(limit * MICROS_PER_USD),
    period: raw.period as ResolvedBudget['period'],
    scope,
    warnAt,
    hardStop: raw.hardStop === true,
    refuseUnpriced: raw.unpriced === 'refuse',
    timeZone,
  };
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Budgets from code: the first invalid one throws, naming it (wrong options in code may throw). */
export function resolveBudgetsOrThrow(inputs: readonly BudgetDefinition[] | unknown, context: BudgetCheckContext): ResolvedBudget[] {
  if (!Array.isArray(inputs)) throw new TypeError('llm-otel: budgets must be an array of budget definitions');
  const resolved = inputs.map((input, index) => {
    const budget = resolveBudget(input, index, context);
    if (typeof budget === 'string') throw new TypeError(`llm-otel: ${budget}`);
    return budget;
  });
  const names = new Set<string>();
  for (const budget of resolved) {
    if (names.has(budget.name)) throw new TypeError(`llm-otel: budget "${budget.name}" is defined twice`);
    names.add(budget.name);
  }
  return resolved;
}

/** Budgets from a file or the environment: each invalid one is reported and left off; the rest apply. */
export function resolveBudgetsLeniently(inputs: unknown, context: BudgetCheckContext, report: (message: string) => void): ResolvedBudget[] {
  if (!Array.isArray(inputs)) {
    report('llm-otel: budgets must be a JSON array of budget definitions; no budget is on');
    return [];
  }
  const resolved: ResolvedBudget[] = [];
  const names = new Set<string>();
  inputs.forEach((input, index) => {
    const budget = resolveBudget(input, index, context);
    if (typeof budget === 'string') report(`llm-otel: ${budget}; this budget is off`);
    else if (names.has(budget.name)) report(`llm-otel: budget "${budget.name}" is defined twice; the second is off`);
    else {
      names.add(budget.name);
      resolved.push(budget);
    }
  });
  return resolved;
}
