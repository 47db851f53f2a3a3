/**
 * The shape of the bundled price and model table (`prices.json`) and of user overrides.
 * Prices are USD per one million tokens, as providers publish them.
 */
export interface TokenPrices {
  /** Uncached input tokens. */
  input: number;
  /** Output tokens (reasoning / thinking tokens are billed as output). */
  output: number;
  /** Input tokens read from the provider's prompt cache; defaults to `input` when absent. */
  cachedInput?: number;
  /** Input tokens written to the prompt cache (Anthropic, Gemini); defaults to `input` when absent. */
  cacheWrite?: number;
  /**
   * Input tokens written to Anthropic's 1-hour cache (`cache_control.ttl: '1h'`), billed at twice the
   * input price against 1.25 times for the default 5-minute cache; defaults to `cacheWrite`.
   */
  cacheWrite1h?: number;
}

/** Prices that apply once a request's input exceeds a threshold (e.g. Gemini 2.5 Pro above 200k). */
export interface LongContextPrices extends TokenPrices {
  /** The tier applies when input tokens are strictly greater than this. */
  aboveInputTokens: number;
}

export interface ModelEntry extends TokenPrices {
  /** Provider as in `gen_ai.provider.name`. */
  provider: string;
  /** Context window in tokens (input + output). */
  contextWindow?: number;
  maxOutputTokens?: number;
  /** Prices per service tier (`flex`, `priority`, `batch`, ...), selected by the request's or response's tier. */
  tiers?: Record<string, TokenPrices>;
  longContext?: LongContextPrices;
  /** Where the prices were read, and when. */
  source: string;
  checked: string;
}

export interface PriceTable {
  /** Date of the table; written on each span with a cost so an auditor can recompute it. */
  version: string;
  currency: 'USD';
  models: Record<string, ModelEntry>;
  /** Explicit aliases for ids that the suffix rules below do not reduce to a table key. */
  aliases?: Record<string, string>;
}

/** A user's override: a full entry, or just the prices of a model already in the table. */
export type PriceOverride = Partial<ModelEntry> & TokenPrices;

// Dated and versioned suffixes providers append to a model id: gpt-4o-mini-2024-07-18,
// claude-3-5-sonnet-20241022, claude-3-5-sonnet@20240620 (Vertex), gpt-4-0613, mistral-large-2411,
// gemini-2.0-flash-001, *-latest.
const SUFFIXES = [/-\d{4}-\d{2}-\d{2}$/, /[-@]\d{8}$/, /-\d{4}$/, /-\d{3}$/, /-latest$/];
// Routers and Gemini prefix ids: `openai/gpt-4o`, `models/gemini-2.0-flash`.
const PREFIX = /^(?:models\/|[a-z0-9_.-]+\/)/i;

export interface PriceLookup {
  /** The table key that matched, e.g. `gpt-4o-mini` for `gpt-4o-mini-2024-07-18`. */
  key: string;
  entry: ModelEntry;
  overridden: boolean;
}

/**
 * Finds a model's entry: exact id, then explicit alias, then the id without its provider prefix and
 * dated suffix. Never a prefix match: `gpt-4o` must not price `gpt-4o-mini`.
 */
export function lookupModel(table: PriceTable, overrides: Readonly<Record<string, PriceOverride>> | undefined, modelId: string): PriceLookup | undefined {
  for (const candidate of candidateIds(modelId)) {
    const override = overrides?.[candidate];
    const key = table.models[candidate] ? candidate : table.aliases?.[candidate];
    const base = key ? table.models[key] : undefined;
    if (override) {
      return {
        key: candidate,
        entry: { provider: 'unknown', source: 'user override', checked: '', ...base, ...override },
        overridden: true,
      };
    }
    if (base && key) return { key, entry: base, overridden: false };
  }
  return undefined;
}

function candidateIds(modelId: string): string[] {
  const ids = [modelId];
  const unprefixed = modelId.replace(PREFIX, '');
  if (unprefixed !== modelId) ids.push(unprefixed);
  for (const id of [...ids]) {
    let stripped = id;
    for (const suffix of SUFFIXES) stripped = stripped.replace(suffix, '');
    if (stripped !== id) ids.push(stripped);
  }
  return ids;
}
