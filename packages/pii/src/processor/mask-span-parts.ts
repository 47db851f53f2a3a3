import { diag, SpanKind, type Attributes, type Link, type SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { errorName, SCAN_FAILED_MARKER, type Masker, type MaskTally } from '../masker';
import { ATTR_REDACTION_MASKED_COUNT, ATTR_REDACTION_MASKED_TYPES } from '../summary-attributes';

export interface MaskedSpanParts {
  name: string;
  attributes: Attributes;
  events: TimedEvent[];
  links: Link[];
  status: SpanStatus;
}

/** On a CLIENT or PRODUCER span the network peer is the server called (host-attributes.ts). */
const PEER_IS_SERVER = { peerIsServer: true };

function maskEvent(event: TimedEvent, masker: Masker, tally: MaskTally): TimedEvent {
  const name = masker.maskString(event.name, undefined, tally);
  const attributes = event.attributes ? masker.maskAttributes(event.attributes, tally) : undefined;
  if (name === event.name && attributes === event.attributes) return event;
  return { ...event, name, attributes };
}

function maskLink(link: Link, masker: Masker, tally: MaskTally): Link {
  if (!link.attributes) return link;
  const attributes = masker.maskAttributes(link.attributes, tally);
  return attributes === link.attributes ? link : { ...link, attributes };
}

/**
 * Span name, attributes, event names and attributes, link attributes and status message, masked in one
 * go so that the summary counts cover them all. Never throws: if anything unexpected fails, every
 * string part is replaced by the scan-failed marker.
 */
export function maskSpanParts(span: ReadableSpan, masker: Masker): MaskedSpanParts {
  const tally: MaskTally = { count: 0, types: new Set() };
  try {
    const name = masker.maskString(span.name, undefined, tally);
    // The summary attributes are added to a copy, never to the span's own object; a masked result is
    // already a copy (made by maskAttributes for this call, held by nothing else), so it is not copied
    // again (~1 µs for a typical LLM span's 25 attributes, measured).
    const masked = masker.maskAttributes(span.attributes, tally, span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER ? PEER_IS_SERVER : undefined);
    const attributes = masked === span.attributes ? { ...masked } : masked;
    const events = span.events.map((event) => maskEvent(event, masker, tally));
    const links = span.links.map((link) => maskLink(link, masker, tally));
    const status = span.status.message === undefined ? span.status : { ...span.status, message: masker.maskString(span.status.message, undefined, tally) };
    if (tally.count > 0) {
      attributes[ATTR_REDACTION_MASKED_COUNT] = tally.count;
      attributes[ATTR_REDACTION_MASKED_TYPES] = [...tally.types].sort();
    }
    return { name, attributes, events, links, status };
  } catch (error) {
    diag.warn(`@llm-otel/pii: masking a span failed (${errorName(error)}); its content was replaced by markers`);
    return {
      name: SCAN_FAILED_MARKER,
      attributes: { [ATTR_REDACTION_MASKED_COUNT]: 1, [ATTR_REDACTION_MASKED_TYPES]: ['SCAN_FAILED'] },
      events: [],
      links: span.links.map((link) => ({ context: link.context })),
      status: span.status.message === undefined ? span.status : { code: span.status.code, message: SCAN_FAILED_MARKER },
    };
  }
}
