import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IntegrityChain } from './integrity-chain';

// ExportResultCode.SUCCESS of @opentelemetry/core, by value: this package does not depend on core, so
// it never pulls a second copy of it in beside the user's SDK (bench/install, test/packaging.test.ts).
const EXPORT_SUCCESS = 0;
type ExportResultCallback = Parameters<SpanExporter['export']>[1];

/**
 * Signs each batch right before the wrapped exporter serialises it, so the export order is the chain's
 * order; an export the exporter reports as failed is recorded, and the next checkpoint lists it.
 */
export class SigningSpanExporter implements SpanExporter {
  constructor(
    private readonly chain: IntegrityChain,
    private readonly exporter: SpanExporter,
  ) {}

  export(spans: ReadableSpan[], resultCallback: ExportResultCallback): void {
    const signed = this.chain.sign(spans);
    this.exporter.export(signed, (result) => {
      if (result.code !== EXPORT_SUCCESS) this.chain.recordExportFailure(spans);
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
