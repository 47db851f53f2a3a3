/** One server-sent event: the `event:` field and the joined `data:` lines. */
export interface SseEvent {
  name?: string;
  data: string;
}

/**
 * Incremental server-sent-events decoder (the WHATWG event-stream format) over decoded text.
 * Memory is bounded: an event longer than `maxEventLength` is skipped whole, and the skip reported.
 */
export class SseDecoder {
  private buffer = '';
  private skipping = false;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onOversized: () => void,
    private readonly maxEventLength: number,
  ) {}

  push(text: string): void {
    let buffer = this.buffer + text;
    let start = 0;
    for (;;) {
      const boundary = findEventBoundary(buffer, start);
      if (boundary === undefined) break;
      if (this.skipping) this.skipping = false;
      else this.dispatch(buffer.slice(start, boundary.end));
      start = boundary.next;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (buffer.length > this.maxEventLength) {
      // Keep only enough to find the next boundary; the oversized event itself is lost to parsing
      // (never to the caller, who reads the bytes from the stream, not from us).
      if (!this.skipping) this.onOversized();
      this.skipping = true;
      buffer = buffer.slice(-3); // a boundary may straddle this push and the next
    }
    this.buffer = buffer;
  }

  /**
   * The stream ended. As the event-stream specification says, an event not terminated by a blank
   * line is incomplete and is discarded: a stream cut mid-event must not yield half an event.
   */
  end(): void {
    this.buffer = '';
    this.skipping = false;
  }

  private dispatch(block: string): void {
    let name: string | undefined;
    let data: string | undefined;
    for (const rawLine of block.split('\n')) {
      const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
      if (line === '' || line.charCodeAt(0) === 58 /* ':' comment */) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
      else if (field === 'event') name = value;
    }
    if (data !== undefined) this.onEvent(name === undefined ? { data } : { name, data });
  }
}

/** The end of the next event block (a blank line: \n\n, \r\n\r\n or \r\r) at or after `from`. */
function findEventBoundary(buffer: string, from: number): { end: number; next: number } | undefined {
  const lf = buffer.indexOf('\n\n', from);
  const crlf = buffer.indexOf('\r\n\r\n', from);
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { end: crlf, next: crlf + 4 };
  if (lf !== -1) return { end: lf, next: lf + 2 };
  return undefined;
}
