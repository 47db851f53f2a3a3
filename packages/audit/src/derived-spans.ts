import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type Link, type SpanContext, type SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';

type Resource = ReadableSpan['resource'];
// The shape of @opentelemetry/core's InstrumentationScope, written out: this package does not depend on core.
interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

/** The exported span with the chain's attributes added; everything else is read from the original. */
export class SignedReadableSpan implements ReadableSpan {
  constructor(
    private readonly original: ReadableSpan,
    readonly attributes: Attributes,
  ) {}
  get name(): string {
    return this.original.name;
  }
  get kind(): SpanKind {
    return this.original.kind;
  }
  spanContext = (): SpanContext => this.original.spanContext();
  get parentSpanContext(): SpanContext | undefined {
    return this.original.parentSpanContext;
  }
  get startTime(): HrTime {
    return this.original.startTime;
  }
  get endTime(): HrTime {
    return this.original.endTime;
  }
  get status(): SpanStatus {
    return this.original.status;
  }
  get links(): Link[] {
    return this.original.links;
  }
  get events(): TimedEvent[] {
    return this.original.events;
  }
  get duration(): HrTime {
    return this.original.duration;
  }
  get ended(): boolean {
    return this.original.ended;
  }
  get resource(): Resource {
    return this.original.resource;
  }
  get instrumentationScope(): InstrumentationScope {
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

export const AUDIT_SCOPE: InstrumentationScope = { name: '@llm-otel/audit', version: '0.1.0' };

function nowHrTime(): HrTime {
  const nanos = BigInt(Date.now()) * 1_000_000n;
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

/**
 * A span the chain itself writes (a checkpoint, a recovery note): a root span of its own trace, so it is
 * stored wherever the application's traces are, and found by its name.
 */
export class ChainNoteSpan implements ReadableSpan {
  readonly kind = SpanKind.INTERNAL;
  readonly startTime: HrTime = nowHrTime();
  readonly endTime: HrTime = this.startTime;
  readonly duration: HrTime = [0, 0];
  readonly status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  readonly ended = true;
  readonly instrumentationScope = AUDIT_SCOPE;
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  readonly parentSpanContext = undefined;
  private readonly context: SpanContext = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  };

  constructor(
    readonly name: string,
    readonly attributes: Attributes,
    readonly resource: Resource,
  ) {}

  spanContext = (): SpanContext => this.context;
}
