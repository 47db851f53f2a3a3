import { llmCallSpans, totalsOf, type ReceivedSpan, type ReceivedValue } from '@llm-otel/otlp-receiver';
import { serviceOf, traceDurationMs } from './trace-filter';
import type { AssembledTrace } from './trace-assembler';

function isoOf(nanos: bigint): string {
  const millis = Number(nanos / 1_000_000n);
  return Number.isFinite(millis) && Math.abs(millis) < 8.64e15 ? new Date(millis).toISOString() : '';
}

function spanJson(span: ReceivedSpan): Record<string, ReceivedValue> {
  const json: Record<string, ReceivedValue> = {
    spanId: span.spanId,
    name: span.name,
    kind: span.kind,
    startTime: isoOf(span.startTimeUnixNano),
    durationMs: Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e6,
    status: span.status.message === undefined ? { code: span.status.code } : { code: span.status.code, message: span.status.message },
    attributes: span.attributes,
  };
  if (span.parentSpanId !== undefined) json.parentSpanId = span.parentSpanId;
  const service = serviceOf(span);
  if (service !== undefined) json.service = service;
  return json;
}

/** One trace as one line of JSON: its totals first (what `jq` scripts read), then its spans. */
export function traceJsonLine(trace: AssembledTrace): string {
  const calls = llmCallSpans(trace.spans);
  const totals = totalsOf(calls);
  const roots = trace.spans.filter((span) => span.parentSpanId === undefined);
  const first = [...trace.spans].sort((a, b) => (a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1))[0];
  const json = {
    traceId: trace.traceId,
    service: (roots[0] && serviceOf(roots[0])) ?? (first && serviceOf(first)) ?? null,
    startTime: first ? isoOf(first.startTimeUnixNano) : '',
    durationMs: traceDurationMs(trace.spans),
    spanCount: trace.spans.length,
    ...(trace.continued ? { continued: true } : {}),
    ...(trace.droppedSpans > 0 ? { droppedSpans: trace.droppedSpans } : {}),
    llmCalls: totals.calls,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    estimatedCalls: totals.estimated,
    cost: Number(totals.cost.toFixed(9)),
    errors: trace.spans.filter((span) => span.status.code === 2).length,
    models: [...new Set(calls.map((call) => call.attributes['gen_ai.request.model']).filter((model) => typeof model === 'string'))],
    spans: trace.spans.map(spanJson),
  };
  return JSON.stringify(json);
}
