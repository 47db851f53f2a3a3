import type { ReceivedSpan, ReceivedValue } from './types';

// The attribute names read here (the span contract of @llm-otel/instrumentation's semconv.ts).
export const REQUEST_MODEL = 'gen_ai.request.model';
export const RESPONSE_MODEL = 'gen_ai.response.model';
export const INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const COST = 'gen_ai.usage.cost';
export const USAGE_ESTIMATED = 'llm_otel.usage.estimated';
/** Set by the fetch and undici hooks on every attempt span they make, and on nothing else. */
const HOOK = 'llm_otel.hook';

/** OTLP status code of a failed span. */
export const STATUS_ERROR = 2;

/** The model a span names (request model first, as the span name does), if any. */
export function modelOf(span: ReceivedSpan): string | undefined {
  const request = span.attributes[REQUEST_MODEL];
  const response = span.attributes[RESPONSE_MODEL];
  if (typeof request === 'string' && request) return request;
  return typeof response === 'string' && response ? response : undefined;
}

export function numberOf(value: ReceivedValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The spans that are LLM calls: each HTTP attempt once. An SDK's own wrapper span (the Anthropic SDK
 * 1.x, the Vercel AI SDK, LangChain) also names the model, but it wraps the attempt span(s) of the hooks;
 * counting it too counted every call twice (issue 15). An attempt is a span the hooks made (`llm_otel.hook`)
 * or, for spans of other instrumentations, a span naming a model with no descendant that names one.
 */
export function llmCallSpans(spans: readonly ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((span) => [`${span.traceId}/${span.spanId}`, span]));
  const hasModelDescendant = new Set<string>();
  for (const span of spans) {
    if (modelOf(span) === undefined) continue;
    let parent = span.parentSpanId;
    // Bounded by the number of spans, so a parent cycle in hostile input cannot loop for ever.
    for (let steps = 0; parent !== undefined && steps < spans.length; steps += 1) {
      const key = `${span.traceId}/${parent}`;
      if (hasModelDescendant.has(key)) break;
      hasModelDescendant.add(key);
      parent = byId.get(key)?.parentSpanId;
    }
  }
  return spans.filter(
    (span) => modelOf(span) !== undefined && (typeof span.attributes[HOOK] === 'string' || !hasModelDescendant.has(`${span.traceId}/${span.spanId}`)),
  );
}

/** Sums over LLM calls. */
export interface CallTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD, from `gen_ai.usage.cost` where the call had a price. */
  cost: number;
  /** Calls whose usage was estimated with a tokenizer. */
  estimated: number;
  errors: number;
}

export function emptyTotals(): CallTotals {
  return { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0, estimated: 0, errors: 0 };
}

export function addCall(totals: CallTotals, call: ReceivedSpan): void {
  totals.calls += 1;
  totals.inputTokens += numberOf(call.attributes[INPUT_TOKENS]) ?? 0;
  totals.outputTokens += numberOf(call.attributes[OUTPUT_TOKENS]) ?? 0;
  totals.cost += numberOf(call.attributes[COST]) ?? 0;
  if (call.attributes[USAGE_ESTIMATED] === true) totals.estimated += 1;
  if (call.status.code === STATUS_ERROR) totals.errors += 1;
}

/** Adds `from` into `into`. */
export function mergeTotals(into: CallTotals, from: CallTotals): void {
  into.calls += from.calls;
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cost += from.cost;
  into.estimated += from.estimated;
  into.errors += from.errors;
}

export function totalsOf(calls: readonly ReceivedSpan[]): CallTotals {
  const totals = emptyTotals();
  for (const call of calls) addCall(totals, call);
  return totals;
}
