import type { Resource } from '@opentelemetry/resources';
import type { MeterProvider, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { Masker } from '@llm-otel/pii';
import { readEnvFlag, readEnvInteger, warnSetup, type EnvWarn } from './env-diagnostics';
import { reportingFailures } from './export-failure-report';
import { grpcMetadata, type ExporterSettings } from './exporter-settings';
import { requireLazily } from './lazy-require';
import { MaskingMetricExporter } from './masked-metric-exporter';
import type { SetupOptions } from './options';
import { readExporterList } from './signal-exporters';

export interface MetricsPipeline {
  meterProvider: MeterProvider;
}

/**
 * GenAI client metrics (token usage, duration, time to first chunk, cost) to the same OTLP endpoint
 * as the spans. Off unless `metrics` is set or LLM_OTEL_METRICS=true; OTEL_METRICS_EXPORTER chooses
 * `otlp` (default), `console` or `none`. The provider is private to llm-otel: an application's own
 * global MeterProvider is left alone. `resource` must already be masked (the same object the spans
 * carry); `masker` masks the data points' attributes.
 */
export function startMetrics(options: SetupOptions, exporter: ExporterSettings, resource: Resource, masker: Masker | undefined, env: NodeJS.ProcessEnv = process.env, warn: EnvWarn = warnSetup): MetricsPipeline | undefined {
  const enabled = options.metrics === undefined ? (readEnvFlag(env, 'LLM_OTEL_METRICS', warn) ?? false) : options.metrics !== false;
  // Read (and checked) even with metrics off, so a malformed value is reported whatever the switch.
  const kinds = readExporterList(env, 'OTEL_METRICS_EXPORTER', warn);
  const intervalFromEnv = readEnvInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', warn);
  const timeoutFromEnv = readEnvInteger(env, 'OTEL_METRIC_EXPORT_TIMEOUT', warn);
  if (!enabled) return undefined;
  // Loaded only now: metrics are off by default (src/lazy-require.ts).
  const { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } = requireLazily('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  const configured = typeof options.metrics === 'object' ? options.metrics.exportIntervalMillis : undefined;
  const exportIntervalMillis = configured ?? intervalFromEnv ?? 60_000;
  // The SDK requires the export timeout not to exceed the interval.
  const exportTimeoutMillis = Math.min(timeoutFromEnv ?? 30_000, exportIntervalMillis);
  const readers = [...kinds].map((kind) => {
    const raw = kind === 'console' ? new ConsoleMetricExporter() : reportingFailures(createMetricExporter(exporter), 'metrics', exporter.url);
    return new PeriodicExportingMetricReader({ exporter: masker ? new MaskingMetricExporter(raw, masker) : raw, exportIntervalMillis, exportTimeoutMillis });
  });
  if (readers.length === 0) return undefined;
  return { meterProvider: new MeterProvider({ resource, readers }) };
}

function createMetricExporter(settings: ExporterSettings): PushMetricExporter {
  if (settings.protocol === 'grpc') {
    const { OTLPMetricExporter } = requireLazily('@opentelemetry/exporter-metrics-otlp-grpc') as typeof import('@opentelemetry/exporter-metrics-otlp-grpc');
    return new OTLPMetricExporter({ url: settings.url, metadata: grpcMetadata(settings.headers), timeoutMillis: settings.timeoutMillis });
  }
  const url = settings.url.replace(/\/v1\/traces$/, '/v1/metrics');
  const { OTLPMetricExporter } = requireLazily('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter({ url, headers: settings.headers, timeoutMillis: settings.timeoutMillis });
}
