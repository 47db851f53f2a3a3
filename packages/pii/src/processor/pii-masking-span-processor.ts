import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createMasker, type Masker } from '../masker';
import type { PiiMaskingOptions } from '../options';
import { MaskedReadableSpan } from './masked-span';

/**
 * Hands the downstream processor a view of every ended span masked by `masker`; the base of the masking
 * processors (PII masking, and user/session ids alone when masking is off).
 */
export class MaskedViewSpanProcessor implements SpanProcessor {
  constructor(
    private readonly downstream: SpanProcessor,
    private readonly masker: Masker,
  ) {}

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

/**
 * Hands the downstream processor (usually a BatchSpanProcessor) a masked view of every ended span,
 * from every library: `new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter), options)`.
 * `onEnd` only wraps the span, so the application's call path pays nothing; the masking runs when the
 * downstream reads the span's content, before it truncates or exports anything.
 */
export class PiiMaskingSpanProcessor extends MaskedViewSpanProcessor {
  constructor(downstream: SpanProcessor, options: PiiMaskingOptions = {}) {
    super(downstream, createMasker(options));
  }
}
