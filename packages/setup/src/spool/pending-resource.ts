import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFieldOf } from './otlp-payload';
import { traceProtobufSerializer } from '../otlp/trace-serializer';

export type SpanResource = ReadableSpan['resource'];

/*
 * Resource detectors (host.id, cloud and container ids) answer asynchronously, and the SDK's resource
 * only settles once someone awaits waitForAsyncAttributes(). The stock BatchSpanProcessor awaits it
 * before serializing; the spool's spill path and its exit path cannot wait (they are synchronous), so
 * a batch written there is written with the attributes known so far and remembers its resource. When
 * the resource has settled, the batch's resource field is replaced by the settled one (otlp-payload.ts),
 * on disk and before sending. Spills and exit writes group spans by resource object, so such a file
 * always holds exactly one resource.
 */
export function isPending(resource: SpanResource): boolean {
  return resource.asyncAttributesPending === true && typeof resource.waitForAsyncAttributes === 'function';
}

/** Resolves when the resource has settled (true) or after `timeoutMillis`, if given (false); never rejects. */
export async function settle(resource: SpanResource, timeoutMillis?: number): Promise<boolean> {
  if (!isPending(resource)) return true;
  const settled = resource.waitForAsyncAttributes!().then(
    () => true,
    () => true, // a failed detector leaves its attribute out; the rest is settled
  );
  if (timeoutMillis === undefined) return settled;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMillis);
    timer.unref();
  });
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The resource as OTLP encodes it (field 1 of a ResourceSpans), by serializing one empty span under it. */
export function encodedResourceField(resource: SpanResource): Uint8Array | undefined {
  const carrier: ReadableSpan = {
    name: '',
    kind: SpanKind.INTERNAL,
    spanContext: () => ({ traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: TraceFlags.SAMPLED }),
    startTime: [0, 0],
    endTime: [0, 0],
    status: { code: SpanStatusCode.UNSET },
    attributes: {},
    links: [],
    events: [],
    duration: [0, 0],
    ended: true,
    resource,
    instrumentationScope: { name: '' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
  const request = traceProtobufSerializer.serializeRequest([carrier]);
  return request ? resourceFieldOf(request) : undefined;
}

/** Groups spans by resource object, keeping their order within each group. */
export function groupByResource(spans: readonly ReadableSpan[]): ReadableSpan[][] {
  const groups = new Map<SpanResource, ReadableSpan[]>();
  for (const span of spans) {
    const group = groups.get(span.resource);
    if (group) group.push(span);
    else groups.set(span.resource, [span]);
  }
  return [...groups.values()];
}
