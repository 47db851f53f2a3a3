/**
 * The summary this package writes on a span with findings. Under our own `llm_otel.` prefix: `redaction.*`
 * belongs to the Collector's redaction processor, which writes `redaction.masked.count` with another
 * meaning (masked keys, not occurrences) and would add to ours if both ran (issue 9, item 5).
 */
export const ATTR_REDACTION_MASKED_COUNT = 'llm_otel.redaction.masked.count';
export const ATTR_REDACTION_MASKED_TYPES = 'llm_otel.redaction.masked.types';

/** Exactly these names are passed through unscanned: an allow-list by prefix let any library's attribute through. */
export const SUMMARY_ATTRIBUTES: readonly string[] = [ATTR_REDACTION_MASKED_COUNT, ATTR_REDACTION_MASKED_TYPES];
