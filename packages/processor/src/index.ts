export { LlmSpanProcessor, type LlmSpanProcessorOptions } from './llm-span-processor';
export { UsageDeduplicatingSpanProcessor } from './usage-deduplication';
