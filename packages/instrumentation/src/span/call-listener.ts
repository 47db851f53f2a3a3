import type { AttributeValue } from '@opentelemetry/api';
import type { CallSummary } from './call-summary';

/** What a completion listener may do to the call's span: add an event, while the span is still open. */
export interface CompletedCallSpan {
  addEvent(name: string, attributes?: Record<string, AttributeValue>): void;
}

/**
 * Told of every attempt that returned usage, once, from the call's own completion, with the same
 * summary the metrics are recorded from (issue 14: budgets account from here, never from exported
 * spans, so sampling, masking or a dropped batch cannot change what is counted). Called just before
 * the span ends, so an event added to `span` lands on the call's own span. It must not throw (it is
 * guarded anyway) and must not block: it runs on the path that ends the span.
 */
export type CallCompletionListener = (summary: CallSummary, span: CompletedCallSpan) => void;
