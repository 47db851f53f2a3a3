import { OTLPTraceExporter as OtlpGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { grpcMetadata, type ExporterSettings } from './exporter-settings';
import type { SetupOptions } from './options';

/**
 * The span path, in the order DESIGN.md fixes: instrumentation → span end → masking (lazily, at
 * export time, off the caller's path) → bounded queue → spool (when on) → OTLP exporter.
 */
export function buildSpanPipeline(options: SetupOptions, exporter: ExporterSettings): SpanProcessor[] {
  const queue = new BatchSpanProcessor(createTraceExporter(exporter), options.batch);
  const masked = options.pii === false ? queue : new PiiMaskingSpanProcessor(queue, options.pii ?? {});
  return [...(options.spanProcessors ?? []), masked];
}

export function createTraceExporter(settings: ExporterSettings): SpanExporter {
  if (settings.protocol === 'grpc') {
    return new OtlpGrpcTraceExporter({ url: settings.url, metadata: grpcMetadata(settings.headers), timeoutMillis: settings.timeoutMillis });
  }
  return new OtlpProtoTraceExporter({ url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMillis });
}
