import type { BudgetStore } from './budget-store';

/**
 * A store that can say it cannot answer and was told to fail closed (RedisBudgetStore's `failClosed`):
 * then hard stops refuse calls instead of checking against what this process alone knows.
 */
export interface FailClosedStore extends BudgetStore {
  refusesCalls(): boolean;
}

/** The refusal message for a hard-stop budget while its store fails closed, or undefined. */
export function storeUnavailableMessage(store: BudgetStore, budgetName: string): string | undefined {
  const refuses = (store as Partial<FailClosedStore>).refusesCalls;
  if (typeof refuses !== 'function' || !refuses.call(store)) return undefined;
  return `llm-otel budget '${budgetName}' cannot be checked: its ${store.kind} store is unreachable and set to fail closed; the call was not sent`;
}
