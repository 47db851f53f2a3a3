import type { Attributes } from '@opentelemetry/api';
import { estimateTokens } from '../estimate/token-estimator';
import type { PriceBook } from '../pricing/price-book';
import type { ParsedRequest, ParsedResponse, Usage } from '../providers/adapter';
import * as semconv from '../semconv';
import type { SemconvStability } from './semconv-stability';
import { addUsageAttributes } from './usage-attributes';

/** The usage a span reports: the provider's, or a tokenizer's estimate. */
export interface MeasuredUsage {
  usage: Usage;
  estimated: boolean;
}

/** The provider's own usage of a response, when it reported any. */
export function exactUsage(response: ParsedResponse | undefined): MeasuredUsage | undefined {
  return response?.usage ? { usage: response.usage, estimated: false } : undefined;
}

/**
 * The provider's usage or, for a stream that reported none (and when estimates are on), a
 * tokenizer's count of what was sent and received; the estimate's own attributes go on the span.
 * Only an estimate is asynchronous: everything else is returned as it is, so that a call with
 * usage ends its span without a promise (issue 11).
 */
export function usageOrEstimate(
  attributes: Attributes,
  request: ParsedRequest | undefined,
  response: ParsedResponse | undefined,
  model: string | undefined,
  estimateMissingUsage: boolean,
): MeasuredUsage | undefined | Promise<MeasuredUsage | undefined> {
  if (response?.usage && (response.usage.inputTokens !== undefined || response.usage.outputTokens !== undefined)) return exactUsage(response);
  if (!request?.stream || !estimateMissingUsage || !model || response?.outputTextForEstimate === undefined) {
    return exactUsage(response);
  }
  return estimatedUsage(attributes, request, model, response.outputTextForEstimate);
}

async function estimatedUsage(attributes: Attributes, request: ParsedRequest, model: string, outputText: string): Promise<MeasuredUsage | undefined> {
  const estimate = await estimateTokens(model, request.inputTextsForEstimate?.(), outputText);
  if (!estimate) return undefined;
  if ('skipped' in estimate) {
    attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATE_SKIPPED] = estimate.skipped;
    return undefined;
  }
  attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATED] = true;
  attributes[semconv.ATTR_LLM_OTEL_USAGE_ESTIMATE_ENCODING] = estimate.encoding;
  attributes[semconv.ATTR_LLM_OTEL_COST_ESTIMATED] = true;
  return { usage: { inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens }, estimated: true };
}

/** Sets the usage, context-window and cost attributes; returns the cost in USD when priced. */
export function addUsageAndCost(
  attributes: Attributes,
  usage: Usage,
  model: string | undefined,
  serviceTier: string | undefined,
  prices: PriceBook,
  stability: SemconvStability,
): number | undefined {
  addUsageAttributes(attributes, usage, stability);
  if (!model) return undefined;
  const lookup = prices.find(model);
  const window = lookup?.entry.contextWindow;
  if (window) {
    attributes[semconv.ATTR_LLM_OTEL_CONTEXT_WINDOW_SIZE] = window;
    if (usage.inputTokens !== undefined) attributes[semconv.ATTR_LLM_OTEL_CONTEXT_WINDOW_UTILIZATION] = usage.inputTokens / window;
  }
  const priced = prices.price(model, usage, serviceTier);
  if (!priced) return undefined;
  attributes[semconv.ATTR_GEN_AI_USAGE_COST] = priced.cost;
  attributes[semconv.ATTR_LLM_OTEL_COST_PRICE_TABLE_VERSION] = priced.tableVersion;
  attributes[semconv.ATTR_LLM_OTEL_COST_PRICE_MODEL] = priced.lookup.key;
  if (priced.tier !== 'standard') attributes[semconv.ATTR_LLM_OTEL_COST_TIER] = priced.tier;
  if (priced.lookup.overridden) attributes[semconv.ATTR_LLM_OTEL_COST_OVERRIDDEN] = true;
  return priced.cost;
}
