import type { Meter } from '@opentelemetry/api';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { DeferredSpanExporter } from './deferred-span-exporter';
import { reportingFailures } from './export-failure-report';
import { DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, grpcMetadata, type ExporterSettings } from './exporter-settings';
import { SigningSpanExporter } from '@llm-otel/audit';
import type { AuditSettings } from './audit-settings';
import { httpProtobufTraceExporter, loadGrpcTraceExporterFactory } from './otlp/trace-exporters';
import type { SetupOptions, SpoolOptions } from './options';
import { createSpoolingSpanProcessor, readSpoolEnv } from './spool';
import { withoutHeaderVariables } from './stock-exporter-env';

/**
 * The span path, in the order DESIGN.md fixes: instrumentation → span end → usage de-duplication →
 * masking (lazily, at export time, off the caller's path) → bounded queue → spool (when on) → OTLP
 * exporter. The first two are `LlmSpanProcessor`, the same processor NodeSDK users put in front of
 * their own queue. With the integrity chain on, spans are numbered after masking and signed where the
 * batch is serialised: by the spool before it writes (so the order on disk is the chain's), else by a
 * SigningSpanExporter in front of the OTLP exporter.
 */
export function buildSpanPipeline(options: SetupOptions, exporter: ExporterSettings, meter?: Meter, audit?: AuditSettings): SpanProcessor[] {
  const chain = audit?.chain;
  const spool = resolveSpool(options);
  // With the spool on, its own bounded queue spills to disk instead of dropping at 2,048 spans the
  // way the stock BatchSpanProcessor does; masking still runs first, so nothing unmasked is written.
  const queue: SpanProcessor = spool
    ? createSpoolingSpanProcessor({
        ...spool,
        endpoint: exporter.url,
        protocol: exporter.protocol,
        headers: exporter.headers,
        timeoutMillis: exporter.timeoutMillis,
        maxQueueSpans: options.batch?.maxQueueSize,
        maxBatchSpans: options.batch?.maxExportBatchSize,
        flushIntervalMillis: options.batch?.scheduledDelayMillis,
        exportTimeoutMillis: options.batch?.exportTimeoutMillis,
        meter,
        integrityChain: chain,
      })
    : new BatchSpanProcessor(signedBy(chain, reportingFailures(createTraceExporter(exporter), 'spans', exporter.url)), options.batch);
  const llm = new LlmSpanProcessor(queue, {
    pii: options.pii,
    pseudonyms: options.pseudonyms || undefined,
    audit: chain ? { chain, checkpointIntervalMillis: audit?.checkpointIntervalMillis } : false,
    pendingSpanTimeoutMillis: options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
  });
  return [...(options.spanProcessors ?? []), llm];
}

function signedBy(chain: AuditSettings['chain'], exporter: SpanExporter): SpanExporter {
  return chain ? new SigningSpanExporter(chain, exporter) : exporter;
}

/** The spool option wins; `spool: false` turns it off even when LLM_OTEL_SPOOL_DIR is set. */
export function resolveSpool(options: SetupOptions): (SpoolOptions & { dir: string }) | undefined {
  if (options.spool === false) return undefined;
  const settings = { ...readSpoolEnv(), ...options.spool };
  if (!settings.dir) {
    if (options.spool) throw new Error('llm-otel: the spool option needs a `dir` (or LLM_OTEL_SPOOL_DIR)');
    return undefined;
  }
  return { ...settings, dir: settings.dir };
}

/**
 * gRPC, the default, is made at the first export (deferred-span-exporter.ts); http/protobuf, when
 * chosen, is required at set-up (src/lazy-require.ts). Both are the stock exporters' parts with our
 * request serializer (otlp/trace-exporters.ts). They read the OTEL_*_HEADERS variables themselves
 * when made: they are hidden then (stock-exporter-env.ts), also when that is later than set-up.
 */
export function createTraceExporter(settings: ExporterSettings): SpanExporter {
  if (settings.protocol === 'grpc') {
    return new DeferredSpanExporter(() =>
      Promise.all([loadGrpcTraceExporterFactory(), import('@grpc/grpc-js')]).then(([grpcTraceExporter, { Metadata }]) =>
        withoutHeaderVariables(() =>
          grpcTraceExporter({ url: settings.url, metadata: grpcMetadata(settings.headers, Metadata), timeoutMillis: settings.timeoutMillis }),
        ),
      ),
    );
  }
  return withoutHeaderVariables(() => httpProtobufTraceExporter({ url: settings.url, headers: settings.headers, timeoutMillis: settings.timeoutMillis }));
}
