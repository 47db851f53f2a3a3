import { llmCallSpans, modelOf, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import type { ViewOptions } from './view-options';

const STATUS_ERROR = 2;

/** The trace's duration: from its first start to its last end, ms. */
export function traceDurationMs(spans: readonly ReceivedSpan[]): number {
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const span of spans) {
    if (start === undefined || span.startTimeUnixNano < start) start = span.startTimeUnixNano;
    if (end === undefined || span.endTimeUnixNano > end) end = span.endTimeUnixNano;
  }
  return start === undefined || end === undefined ? 0 : Number(end - start) / 1e6;
}

export function serviceOf(span: ReceivedSpan): string | undefined {
  const service = span.resource['service.name'];
  return typeof service === 'string' ? service : undefined;
}

/**
 * Whether a trace passes the filters: every filter given must hold. `--service` and `--model` match
 * any span of the trace (a model by substring, case-insensitive: `--model gpt-4o` matches gpt-4o-mini).
 */
export function traceMatches(spans: readonly ReceivedSpan[], options: Pick<ViewOptions, 'services' | 'models' | 'errorsOnly' | 'slowerThanMs'>): boolean {
  if (options.services.length > 0 && !spans.some((span) => options.services.includes(serviceOf(span) ?? ''))) return false;
  if (options.models.length > 0) {
    const wanted = options.models.map((model) => model.toLowerCase());
    const models = llmCallSpans(spans).flatMap((span) => [modelOf(span), span.attributes['gen_ai.response.model']]);
    const names = models.filter((model): model is string => typeof model === 'string').map((model) => model.toLowerCase());
    if (!names.some((name) => wanted.some((model) => name.includes(model)))) return false;
  }
  if (options.errorsOnly && !spans.some((span) => span.status.code === STATUS_ERROR)) return false;
  if (options.slowerThanMs !== undefined && !(traceDurationMs(spans) > options.slowerThanMs)) return false;
  return true;
}
