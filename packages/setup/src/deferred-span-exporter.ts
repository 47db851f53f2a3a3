import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * A span exporter made at its first export instead of at set-up. The default OTLP/gRPC exporter
 * brings grpc-js, the OTLP transformer and the metrics SDK the transformer imports: ~70 ms and
 * ~5 MiB of every start-up (bench/startup, issue 11), for spans first exported a batch delay later.
 * `make` is a dynamic `import()`: each build loads its own copies (ESM the ESM ones, CommonJS
 * `require`), and bundlers see it. Until it is made nothing is held here: the batch processor keeps
 * the spans, and an export waits for the exporter, so none is lost to the wait. A failed import
 * fails each export (reported like any export failure), it never throws.
 */
export class DeferredSpanExporter implements SpanExporter {
  private made?: Promise<SpanExporter>;
  private exporter?: SpanExporter;
  private shutDown = false;

  constructor(private readonly make: () => Promise<SpanExporter>) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.exporter) this.exporter.export(spans, resultCallback);
    else if (this.shutDown) resultCallback({ code: ExportResultCode.FAILED, error: new Error('llm-otel: the exporter is shut down') });
    else
      this.exporterMade().then(
        (exporter) => exporter.export(spans, resultCallback),
        (error: unknown) => resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
      );
  }

  async forceFlush(): Promise<void> {
    await (await this.madeOrNothing())?.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    this.shutDown = true;
    await (await this.madeOrNothing())?.shutdown();
  }

  private exporterMade(): Promise<SpanExporter> {
    this.made ??= this.make().then((exporter) => {
      this.exporter = exporter;
      return exporter;
    });
    return this.made;
  }

  /** The exporter if one was asked for (a failed one is nothing to flush or shut down). */
  private madeOrNothing(): Promise<SpanExporter | undefined> {
    return this.made ? this.made.catch(() => undefined) : Promise.resolve(undefined);
  }
}
