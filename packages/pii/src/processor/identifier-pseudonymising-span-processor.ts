import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createIdentifierMasker } from '../identifiers/identifier-masker';
import type { PseudonymKey } from '../identifiers/pseudonymiser';
import type { Masker } from '../masker';
import { MaskedReadableSpan } from './masked-span';

/**
 * `PiiMaskingSpanProcessor` reduced to `user.id` / `session.id`: for pipelines without PII masking.
 * Like it, `onEnd` only wraps the span; the ids are replaced when the downstream reads the attributes.
 */
export class IdentifierPseudonymisingSpanProcessor implements SpanProcessor {
  private readonly masker: Masker;

  constructor(
    private readonly downstream: SpanProcessor,
    pseudonyms?: PseudonymKey,
  ) {
    this.masker = createIdentifierMasker(pseudonyms);
  }

  onStart(span: Span, parentContext: Context): void {
    this.downstream.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    this.downstream.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    this.downstream.onEnd(new MaskedReadableSpan(span, this.masker));
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.downstream.shutdown();
  }
}
