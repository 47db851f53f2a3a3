import type { Span } from '@opentelemetry/api';
import { guarded } from '../guard';
import type { LlmRequest, ProviderAdapter } from '../providers/adapter';
import * as semconv from '../semconv';
import type { FingerprintKey } from './fingerprint-key';
import { fingerprintAttributes, fingerprintDocument } from './request-fingerprint';

/**
 * Fingerprints the request one macrotask after its span started: the request is on its way and the
 * caller is waiting on the network, so the hashing (≈ 0.6 ms for a 100 KB body, bench/fingerprint) is
 * off the call path. The parsed body is our own copy (the hooks parse the bytes), so the caller cannot
 * change it meanwhile. Every end of the span is itself deferred by a later setImmediate (LlmCall.finish),
 * and immediates run in order, so the attributes are set before the span ends.
 */
export function fingerprintLater(span: Span, adapter: ProviderAdapter, model: string | undefined, request: LlmRequest, key: FingerprintKey | undefined): void {
  // Guarded here too: a span whose methods throw (a broken tracer) must not stop the call's span
  // lifecycle, which starts right after this (test/caller-safety/tracer-failures.test.ts).
  guarded('fingerprinting a request', () => schedule(span, adapter, model, request, key), undefined);
}

function schedule(span: Span, adapter: ProviderAdapter, model: string | undefined, request: LlmRequest, key: FingerprintKey | undefined): void {
  if (!span.isRecording()) return;
  const { body } = request;
  if (body === undefined) {
    span.setAttribute(semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT_SKIPPED, request.bodyOverBound ? 'body_over_bound' : 'body_unavailable');
    return;
  }
  setImmediate(() =>
    guarded(
      'fingerprinting a request',
      () => {
        if (!span.isRecording()) return;
        let attributes: ReturnType<typeof fingerprintAttributes>;
        try {
          attributes = fingerprintAttributes(fingerprintDocument(adapter.protocol, model, body, adapter.nonDeterminingFields), key);
        } catch {
          // A body nested deeper than the stack allows, a hostile custom adapter: no fingerprint, said so.
          attributes = { [semconv.ATTR_LLM_OTEL_REQUEST_FINGERPRINT_SKIPPED]: 'failed' };
        }
        span.setAttributes(attributes);
      },
      undefined,
    ),
  );
}
