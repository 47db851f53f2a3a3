import { inspect } from 'node:util';
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
 *
 * The original is held in an ECMAScript private field: not an own property, so `Object.keys`, spread,
 * for-in and `JSON.stringify` cannot reach it, and `util.inspect` does not print it. It used to be a
 * TypeScript `private` (an ordinary enumerable property), and the OTLP exporter's DEBUG line
 * "items to be sent" printed every unmasked span beside its masked view (issue 8, item 3). Inspection
 * and JSON show the masked content instead. No Proxy: `util.inspect` shows a Proxy's target.
 */
export class MaskedReadableSpan implements ReadableSpan {
  readonly #original: ReadableSpan;
  readonly #masker: Masker;
  #parts: MaskedSpanParts | undefined;

  constructor(original: ReadableSpan, masker: Masker) {
    this.#original = original;
    this.#masker = masker;
  }

  #masked(): MaskedSpanParts {
    return (this.#parts ??= maskSpanParts(this.#original, this.#masker));
  }

  get name(): string {
    return this.#masked().name;
  }

  get attributes(): Attributes {
    return this.#masked().attributes;
  }

  get events(): TimedEvent[] {
    return this.#masked().events;
  }

  get links(): Link[] {
    return this.#masked().links;
  }

  get status(): SpanStatus {
    return this.#masked().status;
  }

  get resource(): ReadableSpan['resource'] {
    return maskedResourceFor(this.#original.resource, this.#masker);
  }

  spanContext(): SpanContext {
    return this.#original.spanContext();
  }

  get kind(): SpanKind {
    return this.#original.kind;
  }

  /*
   * Optional, as in ReadableSpan: a getter typed `SpanContext | undefined` does not implement
   * `parentSpanContext?: SpanContext` for a consumer compiling with exactOptionalPropertyTypes (the
   * packaging test's strict consumer failed on it). So the type is declared optional and the getter is
   * put on the prototype, as the `get` accessor was; nothing changes at run time.
   */
  declare readonly parentSpanContext?: SpanContext;
  static {
    Object.defineProperty(MaskedReadableSpan.prototype, 'parentSpanContext', {
      get(this: MaskedReadableSpan) {
        return this.#original.parentSpanContext;
      },
      configurable: true,
    });
  }

  get startTime(): HrTime {
    return this.#original.startTime;
  }

  get endTime(): HrTime {
    return this.#original.endTime;
  }

  get duration(): HrTime {
    return this.#original.duration;
  }

  get ended(): boolean {
    return this.#original.ended;
  }

  get instrumentationScope(): ReadableSpan['instrumentationScope'] {
    return this.#original.instrumentationScope;
  }

  get droppedAttributesCount(): number {
    return this.#original.droppedAttributesCount;
  }

  get droppedEventsCount(): number {
    return this.#original.droppedEventsCount;
  }

  get droppedLinksCount(): number {
    return this.#original.droppedLinksCount;
  }

  /** What `JSON.stringify` and `util.inspect` show: the masked content and the span's identity. */
  toJSON(): Record<string, unknown> {
    const { name, attributes, events, links, status } = this.#masked();
    return {
      name,
      spanContext: this.spanContext(),
      parentSpanContext: this.parentSpanContext,
      kind: this.kind,
      startTime: this.startTime,
      endTime: this.endTime,
      attributes,
      events,
      links,
      status,
      resource: this.resource,
      instrumentationScope: this.instrumentationScope,
    };
  }

  [inspect.custom](depth: number, options: Parameters<typeof inspect>[1]): string {
    return `MaskedReadableSpan ${inspect(this.toJSON(), { ...options, depth: options?.depth === null ? null : depth })}`;
  }
}
