import { BehaviourSwitch, type ExportOutcome } from './behaviour';
import type { ExportSink } from './export-sink';
import { startGrpcServer, type RunningGrpcServer } from './grpc-server';
import { startHttpServer, TRACES_PATH, type RunningHttpServer } from './http-server';
import type { OtlpReceiver, OtlpReceiverOptions, ReceivedSpan, ReceiverBehaviour } from './types';

const DEFAULT_WAIT_MS = 10_000;

interface Waiter {
  predicate: (spans: ReceivedSpan[]) => boolean;
  resolve: (spans: ReceivedSpan[]) => void;
  reject: (error: unknown) => void;
}

/** Spans, counters, behaviour and the promises waiting on them; both transports feed it. */
class ReceiverState implements ExportSink {
  readonly spans: ReceivedSpan[] = [];
  exportRequests = 0;
  rejectedRequests = 0;
  readonly behaviour = new BehaviourSwitch();
  private waiters = new Set<Waiter>();

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
    for (const waiter of this.waiters) {
      let satisfied: boolean;
      try {
        satisfied = waiter.predicate(this.spans);
      } catch (error) {
        // A throwing test predicate fails its own wait, not the export call that triggered it.
        this.waiters.delete(waiter);
        waiter.reject(error);
        continue;
      }
      if (satisfied) {
        this.waiters.delete(waiter);
        waiter.resolve(this.spans);
      }
    }
  }

  clear(): void {
    this.spans.length = 0;
    this.exportRequests = 0;
    this.rejectedRequests = 0;
  }

  waitFor(
    predicate: (spans: ReceivedSpan[]) => boolean,
    timeoutMs: number,
    describeWanted: () => string,
  ): Promise<ReceivedSpan[]> {
    if (predicate(this.spans)) return Promise.resolve(this.spans);
    return new Promise<ReceivedSpan[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`OTLP receiver: timed out after ${timeoutMs} ms waiting for ${describeWanted()}; ${this.summary()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (spans) => {
          clearTimeout(timer);
          resolve(spans);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
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
    get spans() {
      return state.spans;
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
    setBehaviour: (behaviour: ReceiverBehaviour | undefined) => state.behaviour.set(behaviour),
    clear: () => state.clear(),
    close: () => {
      closed ??= Promise.all([grpc.close(), http.close()]).then(() => undefined);
      return closed;
    },
  };
}
