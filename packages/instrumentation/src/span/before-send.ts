import type { Context } from '@opentelemetry/api';
import type { EstimateInput } from '../providers/adapter';
import type { PricedCall } from '../pricing/price-book';
import type { Usage } from '../providers/adapter';

/** What is known of an LLM request before it is sent, for a check that may refuse it (a budget's hard stop). */
export interface OutgoingLlmRequest {
  /** `gen_ai.provider.name`. */
  readonly providerName: string;
  readonly operation: string;
  /** The request's model, when the body names one. */
  readonly model: string | undefined;
  /** `max_tokens` (or the protocol's equivalent), when the request sets one. */
  readonly maxOutputTokens: number | undefined;
  /** The context the request is made in (getGenAiContext reads agent, conversation and user ids from it). */
  readonly context: Context;
  /** True when the body could not be read within the request-body bound: a check should fail open. */
  readonly bodyUnread: boolean;
  /** The texts a tokenizer would count as input (upper-bounded by their UTF-8 byte count). */
  inputTexts(): EstimateInput | undefined;
  /** The cost of `usage` for `model` from the same price table and overrides as the spans; undefined when unpriced. */
  price(model: string, usage: Usage): PricedCall | undefined;
  /** The price table's maximum output tokens for `model`, when it has one. */
  modelMaxOutputTokens(model: string): number | undefined;
}

/**
 * A refusal: the response the caller's SDK receives instead of sending the request. It is a
 * well-formed HTTP answer in the provider's error shape, so SDKs raise their usual API error
 * (and, with `x-should-retry: false`, do not retry it).
 */
export interface Refusal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Decides, synchronously and cheaply, whether a request may be sent; undefined lets it through. Must not throw. */
export type BeforeSendCheck = (request: OutgoingLlmRequest) => Refusal | undefined;
