import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IntegrityChain } from './integrity-chain';

/**
 * Signs each batch right before the wrapped exporter serialises it, so the export order is the chain's
 * order; an export the exporter reports as failed is recorded, and the next checkpoint lists it.
 */
export class SigningSpanExporter implements SpanExporter {
  constructor(
    private readonly chain: IntegrityChain,
    private readonly exporter: SpanExporter,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const signed = this.chain.sign(spans);
    this.exporter.export(signed, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) this.chain.recordExportFailure(spans);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush?.() ?? Promise.resolve();
  }
}
