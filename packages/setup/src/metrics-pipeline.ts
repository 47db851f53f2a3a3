import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { envFlag, parsePositiveInteger } from './env';
import { grpcMetadata, type ExporterSettings } from './exporter-settings';
import type { SetupOptions } from './options';

export interface MetricsPipeline {
  meterProvider: MeterProvider;
}

/**
 * GenAI client metrics (token usage, duration, time to first chunk, cost) to the same OTLP endpoint
 * as the spans. Off unless `metrics` is set or LLM_OTEL_METRICS=true. The provider is private to
 * llm-otel: an application's own global MeterProvider is left alone.
 */
export function startMetrics(options: SetupOptions, exporter: ExporterSettings, resource: Resource, env: NodeJS.ProcessEnv = process.env): MetricsPipeline | undefined {
  const enabled = options.metrics === undefined ? (envFlag(env.LLM_OTEL_METRICS) ?? false) : options.metrics !== false;
  if (!enabled) return undefined;
  const configured = typeof options.metrics === 'object' ? options.metrics.exportIntervalMillis : undefined;
  const fromEnv = env.OTEL_METRIC_EXPORT_INTERVAL ? parsePositiveInteger(env.OTEL_METRIC_EXPORT_INTERVAL, 'OTEL_METRIC_EXPORT_INTERVAL') : undefined;
  const reader = new PeriodicExportingMetricReader({
    exporter: createMetricExporter(exporter),
    exportIntervalMillis: configured ?? fromEnv ?? 60_000,
  });
  return { meterProvider: new MeterProvider({ resource, readers: [reader] }) };
}

function createMetricExporter(settings: ExporterSettings): PushMetricExporter {
  if (settings.protocol === 'grpc') {
    return new OtlpGrpcMetricExporter({ url: settings.url, metadata: grpcMetadata(settings.headers), timeoutMillis: settings.timeoutMillis });
  }
  const url = settings.url.replace(/\/v1\/traces$/, '/v1/metrics');
  return new OtlpProtoMetricExporter({ url, headers: settings.headers, timeoutMillis: settings.timeoutMillis });
}
