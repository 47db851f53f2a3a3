export { LlmInstrumentation } from './instrumentation';
export { flushPendingLlmSpans } from './span/pending-llm-spans';
export type { LlmInstrumentationConfig, ProviderEndpoint } from './config';
export { setGenAiContext, withGenAiContext, getGenAiContext, type GenAiContextAttributes } from './context/gen-ai-context';
export type { PriceTable, ModelEntry, TokenPrices, LongContextPrices, PriceOverride } from './pricing/price-table';
export { BUNDLED_PRICE_TABLE } from './pricing/price-book';
export type {
  ProviderAdapter,
  LlmRequest,
  ParsedRequest,
  ParsedResponse,
  ResponseAccumulator,
  StreamEvent,
  Usage,
  ProviderError,
} from './providers/adapter';
export type * from './content/messages';
export * as semconv from './semconv';
