import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Masker } from '../masker';
import { maskedResourceFor } from './masked-resource';
import { maskSpanParts, type MaskedSpanParts } from './mask-span-parts';

/**
 * The ended span as the downstream processor sees it. Building it costs nothing on the application's
 * call path; the content is masked the first time the exporter reads the name, attributes, events,
 * links or status (for a BatchSpanProcessor: on its export timer), then cached. Everything else is
 * read from the original span, which is never modified.
 */
export class MaskedReadableSpan implements ReadableSpan {
  private parts: MaskedSpanParts | undefined;

  constructor(
    private readonly original: ReadableSpan,
    private readonly masker: Masker,
  ) {}

  private masked(): MaskedSpanParts {
    return (this.parts ??= maskSpanParts(this.original, this.masker));
  }

  get name(): string {
    return this.masked().name;
  }

  get attributes(): Attributes {
    return this.masked().attributes;
  }

  get events(): TimedEvent[] {
    return this.masked().events;
  }

  get links(): Link[] {
    return this.masked().links;
  }

  get status(): SpanStatus {
    return this.masked().status;
  }

  get resource(): ReadableSpan['resource'] {
    return maskedResourceFor(this.original.resource, this.masker);
  }

  spanContext(): SpanContext {
    return this.original.spanContext();
  }

  get kind(): SpanKind {
    return this.original.kind;
  }

  get parentSpanContext(): SpanContext | undefined {
    return this.original.parentSpanContext;
  }

  get startTime(): HrTime {
    return this.original.startTime;
  }

  get endTime(): HrTime {
    return this.original.endTime;
  }

  get duration(): HrTime {
    return this.original.duration;
  }

  get ended(): boolean {
    return this.original.ended;
  }

  get instrumentationScope(): ReadableSpan['instrumentationScope'] {
    return this.original.instrumentationScope;
  }

  get droppedAttributesCount(): number {
    return this.original.droppedAttributesCount;
  }

  get droppedEventsCount(): number {
    return this.original.droppedEventsCount;
  }

  get droppedLinksCount(): number {
    return this.original.droppedLinksCount;
  }
}
