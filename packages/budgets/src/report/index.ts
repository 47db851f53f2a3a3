/**
 * `@llm-otel/budgets/report`: the stores and the usage report without the engine, so a reader (the
 * `llm-otel usage` command) needs neither the instrumentation nor OpenTelemetry's SDK.
 */
export { usageReport, type UsageReport, type UsageReportOptions, type UsageRow } from './usage-report';
export { FileBudgetStore, type FileBudgetStoreOptions } from '../store/file-store';
export { RedisBudgetStore, type RedisBudgetStoreOptions } from '../store/redis-store';
export type { BudgetStore, SpendTotals } from '../store/budget-store';
export { decodeSpendKey, SCOPE_KEYS, type ScopeKey, type ScopeValues } from '../store/spend-key';
export { formatMicros, MICROS_PER_USD } from '../money';
