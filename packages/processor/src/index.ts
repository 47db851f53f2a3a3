export { LlmSpanProcessor, type LlmAuditOptions, type LlmSpanProcessorOptions } from './llm-span-processor';
export { UsageDeduplicatingSpanProcessor } from './usage-deduplication';
export { sameKeyBytes } from './pseudonym-key-check';
