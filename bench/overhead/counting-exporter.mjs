import { STREAM_EVENT_COUNT } from './recorded-exchanges.mjs';

// ExportResultCode.SUCCESS from @opentelemetry/core, which the bench does not depend on directly.
const EXPORT_SUCCESS = 0;

/**
 * A span exporter that keeps nothing and does no I/O: the instrumented side pays for creating,
 * ending and batching spans, not for shipping them. It counts the spans per call kind and checks
 * that each one carries what the instrumentation must have parsed, so a benchmark of a broken
 * instrumentation (no spans, or spans without usage) cannot pass as a fast one.
 */
export class CountingExporter {
  counts = { plain: 0, stream: 0 };
  defects = [];

  export(spans, resultCallback) {
    for (const span of spans) {
      const attributes = span.attributes;
      const kind = attributes['gen_ai.request.stream'] === true ? 'stream' : 'plain';
      this.counts[kind]++;
      const defect = defectOf(kind, span);
      if (defect && this.defects.length < 5) this.defects.push(`${span.name}: ${defect}`);
    }
    resultCallback({ code: EXPORT_SUCCESS });
  }

  reset() {
    this.counts = { plain: 0, stream: 0 };
    this.defects = [];
  }

  shutdown() {
    return Promise.resolve();
  }

  forceFlush() {
    return Promise.resolve();
  }
}

function defectOf(kind, span) {
  const attributes = span.attributes;
  if (span.status.code === 2) return `status ERROR (${span.status.message})`;
  if (attributes['llm_otel.parse_error']) return `parse error: ${attributes['llm_otel.parse_error']}`;
  if (typeof attributes['gen_ai.response.id'] !== 'string') return 'no gen_ai.response.id';
  if (typeof attributes['gen_ai.usage.input_tokens'] !== 'number') return 'no gen_ai.usage.input_tokens';
  if (typeof attributes['gen_ai.usage.cost'] !== 'number') return 'no gen_ai.usage.cost';
  if (kind === 'stream' && attributes['llm_otel.response.event_count'] !== STREAM_EVENT_COUNT) {
    return `llm_otel.response.event_count is ${attributes['llm_otel.response.event_count']}, not ${STREAM_EVENT_COUNT}`;
  }
  return undefined;
}
