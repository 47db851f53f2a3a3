import type { Resource } from '@opentelemetry/resources';
import type { MeterProvider, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { Masker } from '@llm-otel/pii';
import { readEnvFlag, readEnvInteger, warnSetup, type EnvWarn } from './env-diagnostics';
import { readEndpoint } from './env';
import { reportingFailures } from './export-failure-report';
import { grpcMetadata, type ExporterSettings } from './exporter-settings';
import { requireLazily } from './lazy-require';
import { MaskingMetricExporter } from './masked-metric-exporter';
import type { SetupOptions } from './options';
import { readExporterList } from './signal-exporters';
import { withoutHeaderVariables } from './stock-exporter-env';

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
export function startMetrics(
  options: SetupOptions,
  exporter: ExporterSettings,
  resource: Resource,
  masker: Masker | undefined,
  env: NodeJS.ProcessEnv = process.env,
  warn: EnvWarn = warnSetup,
): MetricsPipeline | undefined {
  const enabled = options.metrics === undefined ? (readEnvFlag(env, 'LLM_OTEL_METRICS', warn) ?? false) : options.metrics !== false;
  // Read (and checked) even with metrics off, so a malformed value is reported whatever the switch.
  const kinds = readExporterList(env, 'OTEL_METRICS_EXPORTER', warn);
  const intervalFromEnv = readEnvInteger(env, 'OTEL_METRIC_EXPORT_INTERVAL', warn);
  const timeoutFromEnv = readEnvInteger(env, 'OTEL_METRIC_EXPORT_TIMEOUT', warn);
  if (!enabled) return undefined;
  // Loaded only now: metrics are off by default (src/lazy-require.ts).
  const { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } = requireLazily(
    '@opentelemetry/sdk-metrics',
  ) as typeof import('@opentelemetry/sdk-metrics');
  const configured = typeof options.metrics === 'object' ? options.metrics.exportIntervalMillis : undefined;
  const exportIntervalMillis = configured ?? intervalFromEnv ?? 60_000;
  // The SDK requires the export timeout not to exceed the interval.
  const exportTimeoutMillis = Math.min(timeoutFromEnv ?? 30_000, exportIntervalMillis);
  const readers = [...kinds].map((kind) => {
    const url = kind === 'console' ? '' : metricsUrl(exporter, env, warn);
    const raw = kind === 'console' ? new ConsoleMetricExporter() : reportingFailures(createMetricExporter(exporter, url), 'metrics', url);
    return new PeriodicExportingMetricReader({ exporter: masker ? new MaskingMetricExporter(raw, masker) : raw, exportIntervalMillis, exportTimeoutMillis });
  });
  if (readers.length === 0) return undefined;
  return { meterProvider: new MeterProvider({ resource, readers }) };
}

/**
 * Where metrics go: OTEL_EXPORTER_OTLP_METRICS_ENDPOINT as the specification says (used as is for
 * http/protobuf, its origin for gRPC), else the span endpoint's host with `/v1/metrics`. Before, the
 * metrics variable was ignored, and a traces URL not ending in `/v1/traces`
 * (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://collector:4318/custom/traces) got the metrics posted
 * to the traces URL itself.
 */
export function metricsUrl(settings: ExporterSettings, env: NodeJS.ProcessEnv, warn: EnvWarn): string {
  const specific = readEndpoint(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', warn)?.url;
  if (specific) {
    specific.username = '';
    specific.password = '';
    return settings.protocol === 'grpc' ? specific.origin : specific.href;
  }
  if (settings.protocol === 'grpc') return settings.url;
  return /\/v1\/traces$/.test(settings.url) ? settings.url.replace(/\/v1\/traces$/, '/v1/metrics') : new URL('/v1/metrics', settings.url).href;
}

/** Only the chosen protocol's exporter is loaded, and only with metrics on (src/lazy-require.ts). */
function createMetricExporter(settings: ExporterSettings, url: string): PushMetricExporter {
  return withoutHeaderVariables(() => {
    if (settings.protocol === 'grpc') {
      const { OTLPMetricExporter } = requireLazily('@opentelemetry/exporter-metrics-otlp-grpc') as typeof import('@opentelemetry/exporter-metrics-otlp-grpc');
      return new OTLPMetricExporter({ url, metadata: grpcMetadata(settings.headers), timeoutMillis: settings.timeoutMillis });
    }
    const { OTLPMetricExporter } = requireLazily('@opentelemetry/exporter-metrics-otlp-proto') as typeof import('@opentelemetry/exporter-metrics-otlp-proto');
    return new OTLPMetricExporter({ url, headers: settings.headers, timeoutMillis: settings.timeoutMillis });
  });
}
