import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createIdentifierMasker } from '../identifiers/identifier-masker';
import type { PseudonymKey } from '../identifiers/pseudonymiser';
import { MaskedViewSpanProcessor } from './pii-masking-span-processor';

/**
 * `PiiMaskingSpanProcessor` reduced to `user.id` / `session.id`: for pipelines without PII masking.
 * Like it, `onEnd` only wraps the span; the ids are replaced when the downstream reads the attributes.
 */
export class IdentifierPseudonymisingSpanProcessor extends MaskedViewSpanProcessor {
  constructor(downstream: SpanProcessor, pseudonyms?: PseudonymKey) {
    super(downstream, createIdentifierMasker(pseudonyms));
  }
}
