import type { Usage } from '../providers/adapter';
import { computeCost, type CostResult } from './cost';
import bundledTable from './prices.json';
import { lookupModel, type PriceLookup, type PriceOverride, type PriceTable } from './price-table';

export const BUNDLED_PRICE_TABLE = bundledTable as PriceTable;

export interface PricedCall extends CostResult {
  lookup: PriceLookup;
  tableVersion: string;
}

/** Prices and context windows for the models a process calls, with lookups cached per model id. */
export class PriceBook {
  private readonly cache = new Map<string, PriceLookup | undefined>();

  constructor(
    private readonly table: PriceTable = BUNDLED_PRICE_TABLE,
    private readonly overrides?: Readonly<Record<string, PriceOverride>>,
  ) {}

  get version(): string {
    return this.table.version;
  }

  find(modelId: string): PriceLookup | undefined {
    if (this.cache.has(modelId)) return this.cache.get(modelId);
    const found = lookupModel(this.table, this.overrides, modelId);
    // Bounded: a process calls few distinct models, but ids come from the network.
    if (this.cache.size < 1000) this.cache.set(modelId, found);
    return found;
  }

  price(modelId: string, usage: Usage, serviceTier?: string): PricedCall | undefined {
    const lookup = this.find(modelId);
    if (!lookup) return undefined;
    const result = computeCost(lookup.entry, usage, serviceTier);
    if (!result) return undefined;
    const tableVersion = lookup.overridden ? `${this.table.version}+overrides` : this.table.version;
    return { cost: result.cost, tier: result.tier, lookup, tableVersion };
  }
}
