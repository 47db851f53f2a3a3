export { BudgetEngine, type BudgetEngineOptions } from './engine/budget-engine';
export type { BudgetDefinition, BudgetPeriod, BudgetScope, ResolvedBudget } from './definition/budget-definition';
export { resolveBudgetsLeniently, resolveBudgetsOrThrow } from './definition/validate-budget';
export { budgetsFromEnv } from './definition/budgets-from-env';
export type { AlertLevel, AlertListener, BudgetAlert } from './alerts/budget-alert';
export { WebhookNotifier, type WebhookOptions, type WebhookStats } from './alerts/webhook-notifier';
export { alertPayload, alertText, type WebhookFormat } from './alerts/alert-payloads';
export { MemoryBudgetStore } from './store/memory-store';
export { FileBudgetStore, type FileBudgetStoreOptions } from './store/file-store';
export type { BudgetStore, SpendIncrement, SpendTotals } from './store/budget-store';
export { emptyTotals } from './store/budget-store';
export { decodeSpendKey, encodeSpendKey, spendKeyPrefix, SCOPE_KEYS, SPEND_KEY_PREFIX } from './store/spend-key';
export type { DecodedSpendKey, ScopeKey, ScopeValues } from './store/spend-key';
export { RedisBudgetStore, RedisStoreUnavailableError } from './store/redis-store';
export type {
  BudgetRedisClient,
  IoRedisClientLike,
  NodeRedisClientLike,
  RedisBudgetStoreOptions,
  RedisStoreAvailability,
  RedisStoreStats,
} from './store/redis-store';
export { MICROS_PER_USD, usdToMicros, formatMicros } from './money';
export { usageReport, type UsageReport, type UsageReportOptions, type UsageRow } from './report/usage-report';
