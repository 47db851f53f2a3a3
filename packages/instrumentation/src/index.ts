export { LlmInstrumentation } from './instrumentation';
export { flushPendingLlmSpans } from './span/pending-llm-spans';
export type { LlmInstrumentationConfig, McpOptions, ProviderEndpoint } from './config';
export { setGenAiContext, withGenAiContext, getGenAiContext, type GenAiContextAttributes } from './context/gen-ai-context';
// Agent, workflow and tool spans (invokeAgent sets the GenAI context that withGenAiContext sets alone).
export * from './agent/index';
export type { PriceTable, ModelEntry, TokenPrices, LongContextPrices, PriceOverride } from './pricing/price-table';
export { BUNDLED_PRICE_TABLE } from './pricing/price-book';
// The adapter API (`LlmInstrumentationConfig.adapters`): everything an adapter file needs to name.
export type {
  ProviderAdapter,
  LlmRequest,
  ParsedRequest,
  ParsedResponse,
  ResponseAccumulator,
  AccumulatorOptions,
  StreamEvent,
  StreamFraming,
  SalvageFields,
  RequestContent,
  EstimateInput,
  Usage,
  UsageModality,
  ModalityCounts,
  ProviderError,
} from './providers/adapter';
export type * from './content/messages';
export * as semconv from './semconv';
export { canonicalJson } from './fingerprint/canonical-json';
export { fingerprintDocument, FINGERPRINT_VERSION } from './fingerprint/request-fingerprint';
export { MIN_FINGERPRINT_KEY_BYTES, fingerprintKeyProblem, type FingerprintKeyOptions } from './fingerprint/fingerprint-key';
// Cost control (@llm-otel/budgets): the call-completion feed and the before-send check.
export type { CallSummary } from './span/call-summary';
export type { CallCompletionListener, CompletedCallSpan } from './span/call-listener';
export type { BeforeSendCheck, OutgoingLlmRequest, Refusal } from './span/before-send';
