/** An attribute value as it arrived; OTLP int64 values are decoded to numbers, bytes to base64 strings. */
export type ReceivedValue = string | number | boolean | ReceivedValue[] | { [key: string]: ReceivedValue } | null;

export type ReceivedAttributes = Record<string, ReceivedValue>;

/** How an export arrived. */
export type ReceiverTransport = 'grpc' | 'http/protobuf' | 'http/json';

export interface ReceivedSpan {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /** 16 hex digits; absent for a root span. */
  parentSpanId?: string;
  name: string;
  /** OTLP protobuf numbering: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: ReceivedAttributes;
  events: { name: string; timeUnixNano: bigint; attributes: ReceivedAttributes }[];
  links: { traceId: string; spanId: string; attributes: ReceivedAttributes }[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  resource: ReceivedAttributes;
  scope: { name: string; version?: string; schemaUrl?: string };
  /** How it arrived. */
  transport: ReceiverTransport;
}

/** One data point of a received metric: `value` for gauges and sums, the rest for histograms. */
export interface ReceivedDataPoint {
  attributes: ReceivedAttributes;
  timeUnixNano: bigint;
  value?: number;
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  min?: number;
  max?: number;
}

/** One metric of an accepted metrics export (gauge, sum or histogram; other kinds are `unknown`, without points). */
export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  kind: 'gauge' | 'sum' | 'histogram' | 'unknown';
  dataPoints: ReceivedDataPoint[];
  resource: ReceivedAttributes;
  scope: { name: string; version?: string };
  transport: ReceiverTransport;
}

/** One log record of an accepted logs export. */
export interface ReceivedLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** OTLP SeverityNumber: 1-4 TRACE, 5-8 DEBUG, 9-12 INFO, 13-16 WARN, 17-20 ERROR, 21-24 FATAL; 0 unspecified. */
  severityNumber: number;
  severityText: string;
  body: ReceivedValue;
  attributes: ReceivedAttributes;
  /** 32 hex digits when the record was emitted inside a span. */
  traceId?: string;
  spanId?: string;
  eventName?: string;
  resource: ReceivedAttributes;
  scope: { name: string; version?: string };
  transport: ReceiverTransport;
}

/** One export call as it arrived, whatever its outcome: what a test checks credentials and headers with. */
export interface ReceivedRequest {
  signal: 'traces' | 'metrics' | 'logs';
  transport: ReceiverTransport;
  /** HTTP headers or gRPC metadata, names lower-cased; binary metadata as base64. */
  headers: Record<string, string>;
}

export interface ReceiverBehaviour {
  /**
   * Answer every export with this failure instead of accepting: a gRPC status code (e.g. 14 UNAVAILABLE,
   * 3 INVALID_ARGUMENT) for gRPC exports, an HTTP status (503, 400, 429 ...) for HTTP exports. When only
   * one of the two is given, the other transport gets the equivalent code.
   */
  grpcStatus?: number;
  httpStatus?: number;
  /** Sent as Retry-After with an HTTP failure, seconds. */
  retryAfterSeconds?: number;
  /** Accept the connection but never answer (a hanging backend). */
  hang?: boolean;
  /** Fail (or hang) only the next N exports, then accept again. */
  times?: number;
  /**
   * Refuse every export whose (uncompressed) request is larger than this many bytes, as a backend with
   * a request size limit does: HTTP 413, gRPC RESOURCE_EXHAUSTED "Received message larger than max
   * (N vs. M)" (grpc-js' own wording for its receive limit). Independent of the failure fields above.
   */
  maxRequestBytes?: number;
}

export interface OtlpReceiver {
  /** e.g. http://127.0.0.1:43121, what OTLPTraceExporter from exporter-trace-otlp-grpc takes as url. */
  readonly grpcUrl: string;
  /** e.g. http://127.0.0.1:43122/v1/traces (POST, protobuf or JSON). */
  readonly httpUrl: string;
  /** e.g. http://127.0.0.1:43122/v1/metrics (POST, protobuf). gRPC metrics go to `grpcUrl`. */
  readonly httpMetricsUrl: string;
  /** e.g. http://127.0.0.1:43122/v1/logs (POST, protobuf). gRPC logs go to `grpcUrl`. */
  readonly httpLogsUrl: string;
  /** Every span accepted so far, in arrival order (duplicates kept). */
  readonly spans: ReceivedSpan[];
  /** Every metric accepted so far (one entry per metric per export), in arrival order. */
  readonly metrics: ReceivedMetric[];
  /** Every log record accepted so far, in arrival order. */
  readonly logs: ReceivedLogRecord[];
  /** Every export call (traces, metrics and logs, accepted or not) with its headers, in arrival order. */
  readonly requests: ReceivedRequest[];
  /** Accepted export calls. */
  readonly exportRequests: number;
  /** Export calls that setBehaviour answered with a failure or left hanging. */
  readonly rejectedRequests: number;
  /** Resolves when at least `count` spans arrived; rejects with a clear message on timeout (default 10 s). */
  waitForSpans(count: number, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** Resolves when the predicate holds for the spans received; rejects on timeout (default 10 s). */
  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** Resolves when the predicate holds for the metrics received; rejects on timeout (default 10 s). */
  waitForMetrics(predicate: (metrics: ReceivedMetric[]) => boolean, timeoutMs?: number): Promise<ReceivedMetric[]>;
  /** `undefined`: accept normally. Applies to trace exports only; metrics are always accepted. */
  setBehaviour(behaviour: ReceiverBehaviour | undefined): void;
  /** Forgets the spans, metrics and requests and resets both counters; the behaviour stays. */
  clear(): void;
  /** Stops both servers, ending hanging calls. */
  close(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  grpcPort?: number;
  /** Default 0 (any free port). */
  httpPort?: number;
  /**
   * Keep what arrives in `spans` / `metrics` / `logs` / `requests` (default true, what tests read). A
   * long-running viewer sets false and takes each batch from the callbacks below, so memory stays bounded.
   */
  retain?: boolean;
  /** Called with the spans of each accepted trace export (before `waitFor` promises settle). */
  onSpans?: (spans: ReceivedSpan[]) => void;
  /** Called with the metrics of each accepted metrics export. */
  onMetrics?: (metrics: ReceivedMetric[]) => void;
  /** Called with the log records of each accepted logs export. */
  onLogs?: (records: ReceivedLogRecord[]) => void;
  /**
   * The largest request body accepted, compressed or inflated (HTTP 413 / gRPC RESOURCE_EXHAUSTED
   * beyond it). Default 64 MiB.
   */
  maxRequestBytes?: number;
}
