import type { ReceivedSpan } from '@llm-otel/otlp-receiver';

/** Bounds, so that a client sending endless spans cannot grow the viewer's memory without limit. */
export const MAX_OPEN_TRACES = 1000;
export const MAX_SPANS_PER_TRACE = 5000;
/** Trace ids already printed: a late span of one of them is printed as its continuation. */
const MAX_REMEMBERED_TRACES = 10_000;

export interface AssembledTrace {
  traceId: string;
  spans: ReceivedSpan[];
  /** A part of a trace printed before (its late spans). */
  continued: boolean;
  /** Spans over MAX_SPANS_PER_TRACE that were not kept. */
  droppedSpans: number;
}

interface OpenTrace extends AssembledTrace {
  ids: Set<string>;
  hasRoot: boolean;
  lastArrival: number;
}

/**
 * Groups spans into traces as they arrive and hands each trace on once it looks complete: its root
 * span (no parent) arrived and nothing more came for `settleMs` (children end, and are exported,
 * before their root), or, without a root (a remote parent, or a root not sampled here), nothing came for `waitMs`.
 */
export class TraceAssembler {
  private open = new Map<string, OpenTrace>();
  private printed = new Set<string>();

  constructor(
    private readonly emit: (trace: AssembledTrace) => void,
    private readonly settleMs: number,
    private readonly waitMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  add(spans: readonly ReceivedSpan[]): void {
    const at = this.now();
    for (const span of spans) {
      let trace = this.open.get(span.traceId);
      if (!trace) {
        if (this.open.size >= MAX_OPEN_TRACES) this.flushOldest();
        trace = {
          traceId: span.traceId,
          spans: [],
          continued: this.printed.has(span.traceId),
          droppedSpans: 0,
          ids: new Set(),
          hasRoot: false,
          lastArrival: at,
        };
        this.open.set(span.traceId, trace);
      }
      trace.lastArrival = at;
      if (trace.ids.has(span.spanId)) continue; // a retried export delivered it again
      if (trace.spans.length >= MAX_SPANS_PER_TRACE) {
        trace.droppedSpans += 1;
        continue;
      }
      trace.ids.add(span.spanId);
      trace.spans.push(span);
      if (span.parentSpanId === undefined) trace.hasRoot = true;
    }
  }

  /** Emits the traces that are complete by now; call it on a timer. */
  tick(): void {
    const at = this.now();
    for (const trace of [...this.open.values()]) {
      const quiet = at - trace.lastArrival;
      if (quiet >= (trace.hasRoot ? this.settleMs : this.waitMs)) this.finish(trace);
    }
  }

  /** Emits everything still open (on exit). */
  flushAll(): void {
    for (const trace of [...this.open.values()]) this.finish(trace);
  }

  get openTraces(): number {
    return this.open.size;
  }

  private flushOldest(): void {
    const oldest = this.open.values().next().value;
    if (oldest) this.finish(oldest);
  }

  private finish(trace: OpenTrace): void {
    this.open.delete(trace.traceId);
    this.printed.add(trace.traceId);
    if (this.printed.size > MAX_REMEMBERED_TRACES) this.printed.delete(this.printed.values().next().value as string);
    this.emit({ traceId: trace.traceId, spans: trace.spans, continued: trace.continued, droppedSpans: trace.droppedSpans });
  }
}
