import type { Attributes } from '@opentelemetry/api';
import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FingerprintKeyOptions, LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import type { PiiMaskingOptions } from '@llm-otel/pii';

/** OTLP transport. llm-otel defaults to `grpc` (port 4317), unlike the OTel JS SDK's `http/protobuf`. */
export type OtlpProtocol = 'grpc' | 'http/protobuf';

export interface BatchOptions {
  /** OTEL_BSP_MAX_QUEUE_SIZE; default 2048. */
  maxQueueSize?: number;
  /** OTEL_BSP_MAX_EXPORT_BATCH_SIZE; default 512. */
  maxExportBatchSize?: number;
  /** OTEL_BSP_SCHEDULE_DELAY, milliseconds; default 5000. */
  scheduledDelayMillis?: number;
  /** OTEL_BSP_EXPORT_TIMEOUT, milliseconds; default 30000. */
  exportTimeoutMillis?: number;
}

/** Durable export: batches are written to disk before they count as exported. */
export interface SpoolOptions {
  /** Directory of the spool; LLM_OTEL_SPOOL_DIR. */
  dir?: string;
  /** Upper bound of the spool on disk, bytes; LLM_OTEL_SPOOL_MAX_BYTES. */
  maxBytes?: number;
  /** Batches older than this are dropped (counted), milliseconds; LLM_OTEL_SPOOL_MAX_AGE_MS. */
  maxAgeMillis?: number;
}

/** The integrity chain over exported spans (docs/integrity-chain.md). */
export interface AuditOptions {
  /** HMAC-SHA256 key, at least 32 bytes (a string is its UTF-8 bytes); its own, never the pseudonym key. */
  key: string | Uint8Array;
  /** Written into every record, so that keys rotate; LLM_OTEL_AUDIT_KEY_ID; default 'default'. */
  keyId?: string;
  /** A signed checkpoint span this often while spans end, milliseconds; default 60000; 0: only the final one. */
  checkpointIntervalMillis?: number;
}

/** The key that pseudonymises `user.id` / `session.id` before export (README, "Who asked"). */
export interface PseudonymOptions {
  /** HMAC-SHA256 key, at least 32 bytes (a string is its UTF-8 bytes); its own, never the audit key. */
  key: string | Uint8Array;
  /** Written into every pseudonym (`<USER:keyId:hex>`); LLM_OTEL_PSEUDONYM_KEY_ID; default 'default'. */
  keyId?: string;
}

/** GenAI client metrics (token usage, duration, time to first chunk, cost) over OTLP. */
export interface MetricsOptions {
  /** Export interval, milliseconds; OTEL_METRIC_EXPORT_INTERVAL; default 60000. */
  exportIntervalMillis?: number;
}

export interface SetupOptions {
  /** OTEL_SERVICE_NAME; default `unknown_service:<process name>`. */
  serviceName?: string;
  /** service.version resource attribute. */
  serviceVersion?: string;
  /** Extra resource attributes; merged over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Attributes;

  /**
   * OTLP endpoint. OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT; default
   * `http://localhost:4317` for gRPC, `http://localhost:4318/v1/traces` for http/protobuf.
   */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL; default `grpc`. */
  protocol?: OtlpProtocol;
  /** Sent with every export; OTEL_EXPORTER_OTLP_TRACES_HEADERS or OTEL_EXPORTER_OTLP_HEADERS. */
  headers?: Record<string, string>;
  /** Export timeout, milliseconds; OTEL_EXPORTER_OTLP_TRACES_TIMEOUT or OTEL_EXPORTER_OTLP_TIMEOUT. */
  timeoutMillis?: number;

  /** Sampler; default from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, else parent-based always-on. */
  sampler?: Sampler;
  batch?: BatchOptions;

  /** Record prompts and completions; OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT. Default false. */
  captureContent?: boolean;
  /** Extra OpenAI-compatible base URLs and the provider names to give them. */
  providers?: LlmInstrumentationConfig['providers'];
  /** Price overrides per model id (USD per 1M tokens). */
  pricing?: LlmInstrumentationConfig['pricing'];
  /** Everything else the instrumentation accepts (body bounds, hooks). */
  instrumentation?: Omit<LlmInstrumentationConfig, 'captureContent' | 'providers' | 'pricing' | 'fingerprint'>;

  /** PII masking of every span before export. On by default; `false` turns it off. */
  pii?: PiiMaskingOptions | false;
  /**
   * A tamper-evident chain over every exported span (HMAC-SHA256, sequence numbers, checkpoints), checked
   * by `llm-otel verify`; LLM_OTEL_AUDIT_KEY or LLM_OTEL_AUDIT_KEY_FILE, LLM_OTEL_AUDIT_KEY_ID. Off by
   * default; `false` turns it off even when the environment sets a key.
   */
  audit?: AuditOptions | false;
  /**
   * The key that turns `user.id` / `session.id` (from `withGenAiContext({ userId, sessionId })`) into
   * pseudonyms; LLM_OTEL_PSEUDONYM_KEY or LLM_OTEL_PSEUDONYM_KEY_FILE, LLM_OTEL_PSEUDONYM_KEY_ID. Without
   * one (or with `false`), they are exported as `<USER>` / `<SESSION>`; never raw.
   */
  pseudonyms?: PseudonymOptions | false;
  /**
   * The key request fingerprints are HMAC-SHA256s under (docs/request-fingerprint.md); LLM_OTEL_FINGERPRINT_KEY
   * or LLM_OTEL_FINGERPRINT_KEY_FILE, LLM_OTEL_FINGERPRINT_KEY_ID. At least 32 bytes, its own. Without one
   * (or with `false`), fingerprints are plain SHA-256, and the span says so.
   */
  fingerprint?: FingerprintKeyOptions | false;
  /** Durable export to disk before sending; off by default. */
  spool?: SpoolOptions | false;
  /** GenAI metrics; off by default. */
  metrics?: MetricsOptions | boolean;

  /** Extra span processors, run before ours (e.g. to enrich spans). */
  spanProcessors?: SpanProcessor[];
  /**
   * Flush on SIGTERM, SIGINT and normal exit (without changing how the process exits); default true.
   * LLM_OTEL_HANDLE_SIGNALS=false turns it off.
   */
  handleSignals?: boolean;
  /** Deadline of the flush on signals and exit, milliseconds; default 5000. */
  shutdownTimeoutMillis?: number;
}
