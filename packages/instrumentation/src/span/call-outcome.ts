import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { ParsedResponse, ProviderError } from '../providers/adapter';
import * as semconv from '../semconv';
import { networkErrorType } from './error-type';

/** What a finished call's outcome is decided from. */
export interface OutcomeFacts {
  /** The request or the body failed (network error, abort, truncated body). */
  error: unknown;
  /** The caller cancelled the body, or never read it to its end. */
  cancelled: boolean;
  /** 0 when no response arrived. */
  statusCode: number;
  response: ParsedResponse | undefined;
  /** `data: [DONE]` was seen. */
  sawDoneMarker: boolean;
  /** Why the body could not be fully read, when the span has a reason to show. */
  problem: string | undefined;
  /** The provider's error body, typed (read only for 4xx/5xx). */
  providerError(): ProviderError;
}

/**
 * Sets `error.type` (and `llm_otel.response.incomplete` where it applies) and the span status of a
 * failed call. Returns the `error.type`, or undefined when the call succeeded.
 */
export function recordOutcome(span: Span, attributes: Attributes, facts: OutcomeFacts): string | undefined {
  const { error, statusCode, response } = facts;
  if (error !== undefined) {
    if (statusCode !== 0) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_INCOMPLETE] = true;
    return failed(span, attributes, networkErrorType(error), errorMessage(error));
  }
  if (statusCode >= 400) {
    const providerError = facts.providerError();
    return failed(span, attributes, providerError.type ?? String(statusCode), providerError.message ?? `HTTP ${statusCode}`);
  }
  if (response?.error) {
    // The provider reported a failure inside a 2xx response (e.g. Anthropic's SSE `error` event).
    return failed(span, attributes, response.error.type ?? semconv.ERROR_TYPE_OTHER, response.error.message ?? 'the provider reported an error');
  }
  const complete = facts.sawDoneMarker || response?.usage !== undefined || (response?.finishReasons?.length ?? 0) > 0;
  if (facts.cancelled && !complete) {
    attributes[semconv.ATTR_LLM_OTEL_RESPONSE_INCOMPLETE] = true;
    return failed(span, attributes, 'cancelled', facts.problem ?? 'the caller cancelled the response before it ended');
  }
  return undefined;
}

function failed(span: Span, attributes: Attributes, type: string, message: string): string {
  attributes[semconv.ATTR_ERROR_TYPE] = type;
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  return type;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
