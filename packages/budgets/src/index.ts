export type { BudgetStore, SpendIncrement, SpendTotals } from './store/budget-store';
export { emptyTotals } from './store/budget-store';
export { decodeSpendKey, encodeSpendKey, spendKeyPrefix, SCOPE_KEYS, SPEND_KEY_PREFIX } from './store/spend-key';
export type { DecodedSpendKey, ScopeKey, ScopeValues } from './store/spend-key';
export { RedisBudgetStore, RedisStoreUnavailableError } from './store/redis-store';
export type { BudgetRedisClient, IoRedisClientLike, NodeRedisClientLike, RedisBudgetStoreOptions, RedisStoreAvailability, RedisStoreStats } from './store/redis-store';
