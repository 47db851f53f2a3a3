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
  if (usd === 0 || !Number.isFinite(usd)) return usd;
  return roundedByScaling(usd) ?? Number(usd.toPrecision(COST_SIGNIFICANT_DIGITS));
}

// 10^0 .. 10^22, each exact (parsed, not computed: a string is converted with correct rounding).
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => Number(`1e${exponent}`));

/**
 * `Number(usd.toPrecision(12))` without formatting and parsing a string (the two were ~1.5 µs of a
 * call's completion in bench/peers' profile, issue 11), or undefined where the shortcut cannot be
 * shown exact. With `scale` = 10^k exact and usd × scale in [10^11, 10^12), the product's rounding
 * error is under 2^-14, so away from a tie Math.round gives the same twelve digits `n` toPrecision
 * picks; n / scale, one correctly rounded division of two exact numbers, is then the double nearest
 * to n × 10^-k, which is what parsing the twelve digits gives. Costs of 10^-11 to 10^12 USD qualify.
 */
export function roundedByScaling(usd: number): number | undefined {
  if (usd < 0) return undefined;
  const shift = COST_SIGNIFICANT_DIGITS - 1 - Math.floor(Math.log10(usd));
  if (shift < 0 || shift >= POWERS_OF_TEN.length) return undefined;
  const scale = POWERS_OF_TEN[shift];
  const scaled = usd * scale;
  // Not twelve digits before the point: log10 was off by one next to a power of ten.
  if (!(scaled > 1e11 && scaled < 1e12)) return undefined;
  // Too near a tie for the product's rounding error to be ruled out.
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) < 1e-3) return undefined;
  return Math.round(scaled) / scale;
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
