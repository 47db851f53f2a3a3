import type { BufferConfig, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { newBatchSpanProcessor } from './batch-queue';
import { IntegrityChain, type IntegrityChainOptions } from './integrity-chain';
import { IntegrityChainSpanProcessor, type IntegrityChainSpanProcessorOptions } from './integrity-chain-span-processor';
import { SigningSpanExporter } from './signing-span-exporter';

export interface ChainedExportOptions extends IntegrityChainOptions, IntegrityChainSpanProcessorOptions {
  /** The exporter the signed batches go to (e.g. an OTLPTraceExporter). */
  exporter: SpanExporter;
  /** Passed to the BatchSpanProcessor. */
  batch?: BufferConfig;
}

/**
 * The whole chain for a NodeSDK or a plain tracer provider: numbering on span end, a BatchSpanProcessor
 * queue, signing right before the exporter serialises. Put masking in front of it.
 */
export function createChainedExportProcessor(options: ChainedExportOptions): IntegrityChainSpanProcessor {
  const chain = new IntegrityChain(options);
  const queue = newBatchSpanProcessor(new SigningSpanExporter(chain, options.exporter), options.batch);
  return new IntegrityChainSpanProcessor(chain, queue, options);
}
