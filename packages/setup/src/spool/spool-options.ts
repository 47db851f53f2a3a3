import type { Meter } from '@opentelemetry/api';

/** What `createSpoolingSpanProcessor` takes. Sizes in bytes, durations in milliseconds. */
export interface SpoolProcessorOptions {
  /** Spool directory (created 0700). One process owns it; a second one gets `<dir>/pid-<pid>`. */
  dir: string;
  /** Upper bound of everything this process keeps in its spool directory; default 256 MiB. */
  maxBytes?: number;
  /** Batches older than this are dropped (counted); default 48 h. */
  maxAgeMillis?: number;
  /** Spans kept in memory before a batch is spilled to disk synchronously; default 2048. */
  maxQueueSpans?: number;
  /** Spans per batch file and per export request; default 512. */
  maxBatchSpans?: number;
  /** How often queued spans are written even when no batch is full; default 1000. */
  flushIntervalMillis?: number;
  /** OTLP endpoint: `http://host:4317` for gRPC, the full `.../v1/traces` URL for http/protobuf. */
  endpoint: string;
  protocol: 'grpc' | 'http/protobuf';
  /** Sent with every export (gRPC metadata or HTTP headers). */
  headers?: Record<string, string>;
  /** Deadline of one export request, and of `forceFlush`'s wait for the backend; default 10000. */
  timeoutMillis?: number;
  /** First retry delay after a retryable failure; doubles up to `retryMaxMillis`; default 1000. */
  retryInitialMillis?: number;
  /** Longest retry delay; default 30000. */
  retryMaxMillis?: number;
  /** How often the spool looks for directories of dead processes to drain; default 30000. */
  adoptIntervalMillis?: number;
  /** Reports `llm_otel.spool.*` instruments on this meter when given. */
  meter?: Meter;
}

export type ResolvedSpoolProcessorOptions = Required<Omit<SpoolProcessorOptions, 'meter' | 'headers'>> &
  Pick<SpoolProcessorOptions, 'meter'> & { headers: Record<string, string> };

export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_AGE_MILLIS = 48 * 60 * 60 * 1000;

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`llm-otel spool: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** Fills in defaults; throws a clear error for a value that cannot work (this runs at set-up, not per span). */
export function resolveSpoolProcessorOptions(options: SpoolProcessorOptions): ResolvedSpoolProcessorOptions {
  if (typeof options.dir !== 'string' || options.dir.trim() === '') {
    throw new Error('llm-otel spool: `dir` is required (or set LLM_OTEL_SPOOL_DIR)');
  }
  if (options.protocol !== 'grpc' && options.protocol !== 'http/protobuf') {
    throw new Error(`llm-otel spool: protocol must be 'grpc' or 'http/protobuf', got ${String(options.protocol)}`);
  }
  try {
    new URL(options.endpoint);
  } catch {
    throw new Error(`llm-otel spool: endpoint must be a URL such as http://localhost:4317, got ${String(options.endpoint)}`);
  }
  const maxBatchSpans = positiveInteger('maxBatchSpans', options.maxBatchSpans, 512);
  const maxQueueSpans = positiveInteger('maxQueueSpans', options.maxQueueSpans, 2048);
  const retryInitialMillis = positiveInteger('retryInitialMillis', options.retryInitialMillis, 1000);
  return {
    dir: options.dir,
    maxBytes: positiveInteger('maxBytes', options.maxBytes, DEFAULT_SPOOL_MAX_BYTES),
    maxAgeMillis: positiveInteger('maxAgeMillis', options.maxAgeMillis, DEFAULT_SPOOL_MAX_AGE_MILLIS),
    maxBatchSpans,
    // A queue smaller than a batch would spill half-empty batches.
    maxQueueSpans: Math.max(maxQueueSpans, maxBatchSpans),
    flushIntervalMillis: positiveInteger('flushIntervalMillis', options.flushIntervalMillis, 1000),
    endpoint: options.endpoint,
    protocol: options.protocol,
    headers: { ...(options.headers ?? {}) },
    timeoutMillis: positiveInteger('timeoutMillis', options.timeoutMillis, 10_000),
    retryInitialMillis,
    retryMaxMillis: Math.max(positiveInteger('retryMaxMillis', options.retryMaxMillis, 30_000), retryInitialMillis),
    adoptIntervalMillis: positiveInteger('adoptIntervalMillis', options.adoptIntervalMillis, 30_000),
    meter: options.meter,
  };
}
