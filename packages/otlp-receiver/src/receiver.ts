import { BehaviourSwitch, type ExportOutcome } from './behaviour';
import type { ExportSink } from './export-sink';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { METRICS_PATH, startHttpServer, TRACES_PATH, type RunningHttpServer } from './http-server';
import type { OtlpReceiver, OtlpReceiverOptions, ReceivedMetric, ReceivedRequest, ReceivedSpan, ReceiverBehaviour } from './types';

const DEFAULT_WAIT_MS = 10_000;

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
  exportRequests = 0;
  rejectedRequests = 0;
  readonly behaviour = new BehaviourSwitch();
  private spanWaiters = new WaitList(this.spans);
  private metricWaiters = new WaitList(this.metrics);

  record(request: ReceivedRequest): void {
    this.requests.push(request);
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

  accept(spans: ReceivedSpan[]): void {
    this.exportRequests += 1;
    this.spans.push(...spans);
    this.spanWaiters.check();
  }

  acceptMetrics(metrics: ReceivedMetric[]): void {
    this.metrics.push(...metrics);
    this.metricWaiters.check();
  }

  clear(): void {
    this.spans.length = 0;
    this.metrics.length = 0;
    this.requests.length = 0;
    this.exportRequests = 0;
    this.rejectedRequests = 0;
  }

  waitFor(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs: number, describeWanted: () => string): Promise<ReceivedSpan[]> {
    return this.spanWaiters.waitFor(predicate, timeoutMs, () => `OTLP receiver: timed out after ${timeoutMs} ms waiting for ${describeWanted()}; ${this.summary()}`);
  }

  waitForMetrics(predicate: (metrics: ReceivedMetric[]) => boolean, timeoutMs: number): Promise<ReceivedMetric[]> {
    return this.metricWaiters.waitFor(
      predicate,
      timeoutMs,
      () => `OTLP receiver: timed out after ${timeoutMs} ms waiting for metrics; received ${this.metrics.length} metrics: ${[...new Set(this.metrics.map((metric) => metric.name))].join(', ')}`,
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
  const state = new ReceiverState();
  const grpc: RunningGrpcServer = await startGrpcServer(host, options.grpcPort ?? 0, state);
  let http: RunningHttpServer;
  try {
    http = await startHttpServer(host, options.httpPort ?? 0, state);
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
    get spans() {
      return state.spans;
    },
    get metrics() {
      return state.metrics;
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
      state.waitFor((spans) => spans.length >= count, timeoutMs, () => `at least ${count} spans`),
    waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
      state.waitFor(predicate, timeoutMs, () => 'the predicate to hold'),
    waitForMetrics: (predicate, timeoutMs = DEFAULT_WAIT_MS) => state.waitForMetrics(predicate, timeoutMs),
    setBehaviour: (behaviour: ReceiverBehaviour | undefined) => state.behaviour.set(behaviour),
    clear: () => state.clear(),
    close: () => {
      closed ??= Promise.all([grpc.close(), http.close()]).then(() => undefined);
      return closed;
    },
  };
}
