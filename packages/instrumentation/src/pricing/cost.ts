import type { Usage } from '../providers/adapter';
import type { ModelEntry, TokenPrices } from './price-table';

export interface CostResult {
  /** USD. */
  cost: number;
  /** `standard`, a service tier name, or `long_context`. */
  tier: string;
}

const PER_TOKEN = 1 / 1_000_000;

/**
 * Cost in USD of one call. Semconv counts cached and cache-write tokens inside input tokens, and
 * reasoning tokens inside output tokens, so cached and cache-write tokens are taken out of the
 * input before the uncached price applies. Returns undefined when usage has no token counts.
 */
export function computeCost(entry: ModelEntry, usage: Usage, serviceTier?: string): CostResult | undefined {
  if (usage.inputTokens === undefined && usage.outputTokens === undefined) return undefined;
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheCreationInputTokens ?? 0;
  const cacheWrite1h = Math.min(cacheWrite, usage.cacheWrite1hInputTokens ?? 0);
  const uncached = Math.max(0, input - cacheRead - cacheWrite);

  const { prices, tier } = selectPrices(entry, input, serviceTier);
  const cost =
    (uncached * prices.input +
      cacheRead * (prices.cachedInput ?? prices.input) +
      (cacheWrite - cacheWrite1h) * (prices.cacheWrite ?? prices.input) +
      cacheWrite1h * (prices.cacheWrite1h ?? prices.cacheWrite ?? prices.input) +
      output * prices.output) *
    PER_TOKEN;
  return { cost: withoutFloatNoise(cost), tier };
}

/**
 * Significant digits a cost keeps. Binary floating point made 300 tokens at $0.80 / 1M come out as
 * 0.00023999999999999998; prices have at most 4 significant digits and token counts at most 10, so
 * 12 digits keep every real digit of a product and drop the noise of the last bits.
 */
const COST_SIGNIFICANT_DIGITS = 12;

/** The cost as the nearest double to its decimal value at COST_SIGNIFICANT_DIGITS digits. */
export function withoutFloatNoise(usd: number): number {
  return usd === 0 || !Number.isFinite(usd) ? usd : Number(usd.toPrecision(COST_SIGNIFICANT_DIGITS));
}

function selectPrices(entry: ModelEntry, inputTokens: number, serviceTier?: string): { prices: TokenPrices; tier: string } {
  // A named service tier (flex, priority, batch) replaces the standard prices; `default`/`auto`
  // and tiers the table does not list are billed at the standard price.
  const tiered = serviceTier ? entry.tiers?.[serviceTier] : undefined;
  if (tiered && serviceTier) return { prices: tiered, tier: serviceTier };
  if (entry.longContext && inputTokens > entry.longContext.aboveInputTokens) {
    return { prices: entry.longContext, tier: 'long_context' };
  }
  return { prices: entry, tier: 'standard' };
}
