import { BehaviourSwitch, type ExportOutcome } from './behaviour';
import type { ExportSink } from './export-sink';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { LOGS_PATH, METRICS_PATH, startHttpServer, TRACES_PATH, type RunningHttpServer } from './http-server';
import type { OtlpReceiver, OtlpReceiverOptions, ReceivedLogRecord, ReceivedMetric, ReceivedRequest, ReceivedSpan, ReceiverBehaviour } from './types';

const DEFAULT_WAIT_MS = 10_000;
/** Large batches are legitimate for tests; `llm-otel view` sets its own, smaller bound. */
const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024;

interface Waiter<T> {
  predicate: (items: T[]) => boolean;
  resolve: (items: T[]) => void;
  reject: (error: unknown) => void;
}

/** Promises waiting for a predicate over a growing list; settled as items arrive or on timeout. */
class WaitList<T> {
  private waiters = new Set<Waiter<T>>();

  constructor(private readonly items: T[]) {}

  check(): void {
    for (const waiter of this.waiters) {
      let satisfied: boolean;
      try {
        satisfied = waiter.predicate(this.items);
      } catch (error) {
        // A throwing test predicate fails its own wait, not the export call that triggered it.
        this.waiters.delete(waiter);
        waiter.reject(error);
        continue;
      }
      if (satisfied) {
        this.waiters.delete(waiter);
        waiter.resolve(this.items);
      }
    }
  }

  waitFor(predicate: (items: T[]) => boolean, timeoutMs: number, describeTimeout: () => string): Promise<T[]> {
    if (predicate(this.items)) return Promise.resolve(this.items);
    return new Promise<T[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      const waiter: Waiter<T> = {
        predicate,
        resolve: (items) => {
          clearTimeout(timer);
          resolve(items);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }
}

/** Spans, counters, behaviour and the promises waiting on them; both transports feed it. */
class ReceiverState implements ExportSink {
  readonly spans: ReceivedSpan[] = [];
  readonly metrics: ReceivedMetric[] = [];
  readonly requests: ReceivedRequest[] = [];
  readonly logs: ReceivedLogRecord[] = [];
  exportRequests = 0;
  rejectedRequests = 0;
  readonly behaviour = new BehaviourSwitch();
  private spanWaiters = new WaitList(this.spans);
  private metricWaiters = new WaitList(this.metrics);

  constructor(private readonly options: OtlpReceiverOptions) {}

  private get retain(): boolean {
    return this.options.retain !== false;
  }

  record(request: ReceivedRequest): void {
    if (this.retain) this.requests.push(request);
  }

  nextOutcome(): ExportOutcome {
    const outcome = this.behaviour.next();
    if (outcome.kind !== 'accept') this.rejectedRequests += 1;
    return outcome;
  }

  refusesSize(bytes: number): number | undefined {
    const limit = this.behaviour.sizeLimitExceeded(bytes);
    if (limit !== undefined) this.rejectedRequests += 1;
    return limit;
  }

  /** A throwing callback must not fail the export that fed it, nor take a transport down. */
  private notify<T>(callback: ((items: T[]) => void) | undefined, items: T[]): void {
    try {
      callback?.(items);
    } catch {
      // The callback's owner reports its own failures; the export was received all the same.
    }
  }

  accept(spans: ReceivedSpan[]): void {
    this.exportRequests += 1;
    this.notify(this.options.onSpans, spans);
    if (!this.retain) return;
    // One at a time: spreading a batch of 100,000+ spans into push() overflows the call stack.
    for (const span of spans) this.spans.push(span);
    this.spanWaiters.check();
  }

  acceptMetrics(metrics: ReceivedMetric[]): void {
    this.notify(this.options.onMetrics, metrics);
    if (!this.retain) return;
    for (const metric of metrics) this.metrics.push(metric);
    this.metricWaiters.check();
  }

  acceptLogs(records: ReceivedLogRecord[]): void {
    this.notify(this.options.onLogs, records);
    if (this.retain) for (const record of records) this.logs.push(record);
  }

  clear(): void {
    this.spans.length = 0;
    this.metrics.length = 0;
    this.requests.length = 0;
    this.logs.length = 0;
    this.exportRequests = 0;
    this.rejectedRequests = 0;
  }

  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs: number, describeWanted: () => string): Promise<ReceivedSpan[]> {
    return this.spanWaiters.waitFor(
      predicate,
      timeoutMs,
      () => `OTLP receiver: timed out after ${timeoutMs} ms waiting for ${describeWanted()}; ${this.summary()}`,
    );
  }

  waitForMetrics(predicate: (metrics: ReceivedMetric[]) => boolean, timeoutMs: number): Promise<ReceivedMetric[]> {
    return this.metricWaiters.waitFor(
      predicate,
      timeoutMs,
      () =>
        `OTLP receiver: timed out after ${timeoutMs} ms waiting for metrics; received ${this.metrics.length} metrics: ${[...new Set(this.metrics.map((metric) => metric.name))].join(', ')}`,
    );
  }

  private summary(): string {
    const names = this.spans.slice(0, 20).map((span) => span.name);
    const more = this.spans.length > names.length ? ', ...' : '';
    return (
      `received ${this.spans.length} spans in ${this.exportRequests} accepted exports ` +
      `(${this.rejectedRequests} rejected)` +
      (names.length > 0 ? `: ${names.join(', ')}${more}` : '')
    );
  }
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const host = options.host ?? '127.0.0.1';
  const state = new ReceiverState(options);
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const grpc: RunningGrpcServer = await startGrpcServer(host, options.grpcPort ?? 0, state, maxRequestBytes);
  let http: RunningHttpServer;
  try {
    http = await startHttpServer(host, options.httpPort ?? 0, state, maxRequestBytes);
  } catch (error) {
    await grpc.close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;

  return {
    grpcUrl: `http://${urlHost}:${grpc.port}`,
    httpUrl: `http://${urlHost}:${http.port}${TRACES_PATH}`,
    httpMetricsUrl: `http://${urlHost}:${http.port}${METRICS_PATH}`,
    httpLogsUrl: `http://${urlHost}:${http.port}${LOGS_PATH}`,
    get spans() {
      return state.spans;
    },
    get metrics() {
      return state.metrics;
    },
    get logs() {
      return state.logs;
    },
    get requests() {
      return state.requests;
    },
    get exportRequests() {
      return state.exportRequests;
    },
    get rejectedRequests() {
      return state.rejectedRequests;
    },
    waitForSpans: (count, timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(
        (spans) => spans.length >= count,
        timeoutMs,
        () => `at least ${count} spans`,
      ),
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) => state.waitFor(predicate, timeoutMs, () => 'the predicate to hold'),
    waitForMetrics: (predicate, timeoutMs = DEFAULT_WAIT_MS) => state.waitForMetrics(predicate, timeoutMs),
    setBehaviour: (behaviour: ReceiverBehaviour | undefined) => state.behaviour.set(behaviour),
    clear: () => state.clear(),
    close: () => {
      closed ??= Promise.all([grpc.close(), http.close()]).then(() => undefined);
      return closed;
    },
  };
}
