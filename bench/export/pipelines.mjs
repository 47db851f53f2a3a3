import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchSpanProcessor, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { traceProtobufSerializer } from '@llm-otel/setup';

// The gRPC exporter's parts are dependencies of @llm-otel/setup (the bench measures against what it ships with).
const requireFromSetup = createRequire(import.meta.resolve('@llm-otel/setup/package.json'));
const { OTLPExporterBase } = requireFromSetup('@opentelemetry/otlp-exporter-base');
const { convertLegacyOtlpGrpcOptions, createOtlpGrpcExportDelegate } = requireFromSetup('@opentelemetry/otlp-grpc-exporter-base');
const { TraceExporterMetricsHelper } = requireFromSetup('@opentelemetry/otlp-transformer');

/** LLM_OTEL_SPOOL_MODULE points at another build of the spool; by default the built @llm-otel/setup. */
const spoolModule = await import(process.env.LLM_OTEL_SPOOL_MODULE ?? '@llm-otel/setup');
if (typeof spoolModule.createSpoolingSpanProcessor !== 'function') {
  throw new Error('@llm-otel/setup (dist) does not export createSpoolingSpanProcessor: run `pnpm run build` first');
}

export const SETTINGS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 };

/** Measures each onEnd call of the processor it wraps. */
class TimedProcessor {
  constructor(inner, capacity) {
    this.inner = inner;
    this.durations = new Float64Array(capacity);
    this.calls = 0;
  }
  onStart(span, context) {
    this.inner.onStart(span, context);
  }
  onEnd(span) {
    const start = process.hrtime.bigint();
    this.inner.onEnd(span);
    if (this.calls < this.durations.length) this.durations[this.calls] = Number(process.hrtime.bigint() - start);
    this.calls += 1;
  }
  forceFlush() {
    return this.inner.forceFlush();
  }
  shutdown() {
    return this.inner.shutdown();
  }
}

/**
 * The OTLP gRPC trace exporter as setupTelemetry() builds it (packages/setup/src/otlp/trace-exporters.ts):
 * the stock exporter's parts with our serializer.
 */
function grpcTraceExporter(url) {
  return new OTLPExporterBase(
    createOtlpGrpcExportDelegate(
      convertLegacyOtlpGrpcOptions({ url }, 'TRACES'),
      traceProtobufSerializer,
      'otlp_grpc_span_exporter',
      TraceExporterMetricsHelper,
      undefined,
      'TraceExportService',
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    ),
  );
}

/** Without the spool: BatchSpanProcessor + the OTLP gRPC exporter. */
export function baselinePipeline(receiver, capacity) {
  const exporter = grpcTraceExporter(receiver.grpcUrl);
  const processor = new TimedProcessor(
    // As setupTelemetry() builds it: masking first (lazily, at export), then the queue.
    new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter, { ...SETTINGS, exportTimeoutMillis: 30_000 })),
    capacity,
  );
  return pipeline('masking + BatchSpanProcessor + OTLP gRPC', processor, () => undefined);
}

/** The spool: SpoolingSpanProcessor writing every batch durably, then sending it over gRPC. */
export function spoolPipeline(receiver, capacity) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-spool-'));
  const spool = spoolModule.createSpoolingSpanProcessor({
    dir,
    endpoint: receiver.grpcUrl,
    protocol: 'grpc',
    maxQueueSpans: SETTINGS.maxQueueSize,
    maxBatchSpans: SETTINGS.maxExportBatchSize,
    flushIntervalMillis: SETTINGS.scheduledDelayMillis,
    timeoutMillis: 30_000,
  });
  const processor = new TimedProcessor(new PiiMaskingSpanProcessor(spool), capacity);
  const result = pipeline('masking + SpoolingSpanProcessor (disk, fsync) + raw gRPC', processor, () => rmSync(dir, { recursive: true, force: true }));
  result.spool = spool;
  return result;
}

function pipeline(name, processor, cleanup) {
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return {
    name,
    processor,
    tracer: provider.getTracer('bench-export'),
    async close() {
      await provider.shutdown();
      cleanup();
    },
  };
}
