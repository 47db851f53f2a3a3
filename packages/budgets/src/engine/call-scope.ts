import type { Context } from '@opentelemetry/api';
import { getGenAiContext } from '@llm-otel/instrumentation';
import type { BudgetScope } from '../definition/budget-definition';
import type { ScopeValues } from '../store/spend-key';

/** What a call is, for matching budgets: each dimension's value, when known. */
export interface CallFacts {
  service: string | undefined;
  provider: string | undefined;
  model: string | undefined;
  context: Context | undefined;
}

/** The ids in context; `userId` is added to GenAiContextAttributes by the identity work (TEAM.md item 1). */
interface ContextIds {
  agentId?: string;
  agentName?: string;
  conversationId?: string;
  userId?: string;
}

/**
 * The scope values of one budget for one call, or undefined when the budget does not count it (a
 * fixed value that differs, or a dimension the call does not have). Context ids are read only for
 * budgets that name them; the user id only through the pseudonymiser.
 */
export function scopeValuesFor(scope: BudgetScope, facts: CallFacts, userPseudonym: ((userId: string) => string) | undefined): ScopeValues | undefined {
  const values: ScopeValues = {};
  let ids: ContextIds | undefined;
  for (const name in scope) {
    const wanted = scope[name as keyof BudgetScope]!;
    let actual: string | undefined;
    if (name === 'service') actual = facts.service;
    else if (name === 'provider') actual = facts.provider;
    else if (name === 'model') actual = facts.model;
    else {
      ids ??= (facts.context ? (getGenAiContext(facts.context) as ContextIds | undefined) : undefined) ?? {};
      if (name === 'agent') actual = ids.agentId ?? ids.agentName;
      else if (name === 'conversation') actual = ids.conversationId;
      else if (name === 'user') actual = ids.userId !== undefined && userPseudonym ? userPseudonym(ids.userId) : undefined;
    }
    if (actual === undefined || actual === '') return undefined;
    if (wanted !== '*' && wanted !== actual) return undefined;
    values[name as keyof ScopeValues] = actual;
  }
  return values;
}
