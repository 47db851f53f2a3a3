import { type Meter, diag } from '@opentelemetry/api';
import type { IntegrityChain } from '@llm-otel/audit';
import { type SpoolClock, systemClock } from './spool-clock';
import { quoteIfHarmless } from '../env-diagnostics';

/** What `createSpoolingSpanProcessor` takes. Sizes in bytes, durations in milliseconds. */
export interface SpoolProcessorOptions {
  /** Spool directory (created 0700). One process owns it; a second one gets `<dir>/pid-<pid>`. */
  dir: string;
  /** Upper bound of everything this process keeps in its spool directory; default 256 MiB. */
  maxBytes?: number;
  /** Batches older than this are dropped (counted); default 48 h. */
  maxAgeMillis?: number;
  /** Spans kept in memory before a batch is spilled to disk synchronously; default OTEL_BSP_MAX_QUEUE_SIZE, else 2048. */
  maxQueueSpans?: number;
  /** Spans per batch file and per export request (at most maxQueueSpans); default OTEL_BSP_MAX_EXPORT_BATCH_SIZE, else 512. */
  maxBatchSpans?: number;
  /** How often queued spans are written even when no batch is full; default OTEL_BSP_SCHEDULE_DELAY, else 1000. */
  flushIntervalMillis?: number;
  /** OTLP endpoint: `http://host:4317` for gRPC, the full `.../v1/traces` URL for http/protobuf. */
  endpoint: string;
  protocol: 'grpc' | 'http/protobuf';
  /** Sent with every export (gRPC metadata or HTTP headers). */
  headers?: Record<string, string>;
  /** Deadline of one export request, and of `forceFlush`'s wait for the backend; default 10000. */
  timeoutMillis?: number;
  /**
   * Deadline of one export attempt as a whole (waiting for resource attributes included), as the
   * BatchSpanProcessor's `exportTimeoutMillis`; default OTEL_BSP_EXPORT_TIMEOUT, else 30000.
   */
  exportTimeoutMillis?: number;
  /** First retry delay after a retryable failure; doubles up to `retryMaxMillis`; default 1000. */
  retryInitialMillis?: number;
  /** Longest retry delay; default 30000. */
  retryMaxMillis?: number;
  /** How often the spool looks for directories of dead processes to drain; default 30000. */
  adoptIntervalMillis?: number;
  /** While the disk cannot be written (full, read-only, unlockable), how often it is tried again; default 10000. */
  diskRetryMillis?: number;
  /** The clocks used for batch ages; for tests (the default is Date.now() and performance.now()). */
  clock?: SpoolClock;
  /** Reports `llm_otel.spool.*` instruments on this meter when given. */
  meter?: Meter;
  /**
   * Signs every batch with this chain before it is written (spool-chain.ts). The chain's span processor
   * (numbering, checkpoints) goes in front of the spool, after masking.
   */
  integrityChain?: IntegrityChain;
}

export type ResolvedSpoolProcessorOptions = Required<Omit<SpoolProcessorOptions, 'meter' | 'headers' | 'integrityChain'>> &
  Pick<SpoolProcessorOptions, 'meter' | 'integrityChain'> & { headers: Record<string, string> };

/*
 * The BatchSpanProcessor's variables, read as it reads them when the option is not given, so a spool
 * set up with the same variables batches as the stock processor would. A value that is not a positive
 * integer is ignored with a warning (the OpenTelemetry specification: warn and use the default).
 */
const BSP_VARIABLES = {
  maxQueueSpans: 'OTEL_BSP_MAX_QUEUE_SIZE',
  maxBatchSpans: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  flushIntervalMillis: 'OTEL_BSP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
} as const;

function fromEnvironment(name: string, env: Record<string, string | undefined>): number | undefined {
  const text = env[name]?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (Number.isSafeInteger(value) && value > 0) return value;
  diag.warn(`llm-otel spool: ${name} must be a positive integer${quoteIfHarmless(text)}; using the default`);
  return undefined;
}

export const DEFAULT_SPOOL_MAX_BYTES = 256 * 1024 * 1024;
export const DEFAULT_SPOOL_MAX_AGE_MILLIS = 48 * 60 * 60 * 1000;

/** What a wrong option was, without quoting what could be a secret: a number or a short enum-like word, else its type. */
function gotten(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && quoteIfHarmless(value) !== '' ? `'${value}'` : `a ${typeof value}`;
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`llm-otel spool: ${name} must be a positive integer, got ${gotten(value)}`);
  }
  return value;
}

/** Fills in defaults; throws a clear error for a value that cannot work (this runs at set-up, not per span). */
export function resolveSpoolProcessorOptions(
  options: SpoolProcessorOptions,
  env: Record<string, string | undefined> = process.env,
): ResolvedSpoolProcessorOptions {
  if (typeof options.dir !== 'string' || options.dir.trim() === '') {
    throw new Error('llm-otel spool: `dir` is required (or set LLM_OTEL_SPOOL_DIR)');
  }
  if (options.protocol !== 'grpc' && options.protocol !== 'http/protobuf') {
    throw new Error(`llm-otel spool: protocol must be 'grpc' or 'http/protobuf', got ${gotten(options.protocol)}`);
  }
  try {
    new URL(options.endpoint);
  } catch {
    // Never quoted: an endpoint may hold `user:password@`.
    throw new Error('llm-otel spool: endpoint must be a URL such as http://localhost:4317');
  }
  const given = (key: keyof typeof BSP_VARIABLES) => options[key] ?? fromEnvironment(BSP_VARIABLES[key], env);
  let maxBatchSpans = positiveInteger('maxBatchSpans', given('maxBatchSpans'), 512);
  const maxQueueSpans = positiveInteger('maxQueueSpans', given('maxQueueSpans'), 2048);
  if (maxBatchSpans > maxQueueSpans) {
    // As the BatchSpanProcessor does.
    diag.warn('llm-otel spool: maxBatchSpans must be at most maxQueueSpans; using maxQueueSpans for both');
    maxBatchSpans = maxQueueSpans;
  }
  const retryInitialMillis = positiveInteger('retryInitialMillis', options.retryInitialMillis, 1000);
  return {
    dir: options.dir,
    maxBytes: positiveInteger('maxBytes', options.maxBytes, DEFAULT_SPOOL_MAX_BYTES),
    maxAgeMillis: positiveInteger('maxAgeMillis', options.maxAgeMillis, DEFAULT_SPOOL_MAX_AGE_MILLIS),
    maxBatchSpans,
    maxQueueSpans,
    flushIntervalMillis: positiveInteger('flushIntervalMillis', given('flushIntervalMillis'), 1000),
    endpoint: options.endpoint,
    protocol: options.protocol,
    headers: { ...(options.headers ?? {}) },
    timeoutMillis: positiveInteger('timeoutMillis', options.timeoutMillis, 10_000),
    exportTimeoutMillis: positiveInteger('exportTimeoutMillis', given('exportTimeoutMillis'), 30_000),
    retryInitialMillis,
    retryMaxMillis: Math.max(positiveInteger('retryMaxMillis', options.retryMaxMillis, 30_000), retryInitialMillis),
    adoptIntervalMillis: positiveInteger('adoptIntervalMillis', options.adoptIntervalMillis, 30_000),
    diskRetryMillis: positiveInteger('diskRetryMillis', options.diskRetryMillis, 10_000),
    clock: options.clock ?? systemClock,
    meter: options.meter,
    integrityChain: options.integrityChain,
  };
}
