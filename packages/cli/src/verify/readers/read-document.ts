import { isJaegerV1, readJaegerV1 } from './jaeger-v1';
import { isObject } from './narrow';
import { otlpResourceSpans, readOtlpResourceSpans, type ReadOutcome } from './otlp-json';

export type DocumentFormat = 'otlp-json' | 'jaeger-v1';

/** The spans of one parsed JSON document in any format `llm-otel verify` reads; unknown shapes are a problem, not an exception. */
export function readDocument(document: unknown): ReadOutcome & { format?: DocumentFormat } {
  if (isObject(document)) {
    const resourceSpans = otlpResourceSpans(document);
    if (resourceSpans) return { ...readOtlpResourceSpans(resourceSpans), format: 'otlp-json' };
    if (isJaegerV1(document)) return { ...readJaegerV1(document), format: 'jaeger-v1' };
  }
  return { records: [], problems: ['not a trace document this tool reads (OTLP JSON, Jaeger /api/traces, Jaeger /api/v3/traces, Tempo)'] };
}
