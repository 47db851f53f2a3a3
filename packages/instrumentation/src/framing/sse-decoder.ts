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
  // The incomplete event as the pieces that arrived: joined once, when its blank line comes, so a
  // large event arriving in many chunks costs linear time (a growing string searched on every
  // chunk was quadratic: 550 ms for one 4 MB event in 64 KiB chunks).
  private parts: string[] = [];
  private partsLength = 0;
  // The last characters of the incomplete event: a blank line may straddle two chunks.
  private tail = '';
  private skipping = false;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly onOversized: () => void,
    private readonly maxEventLength: number,
  ) {}

  push(text: string): void {
    const probe = this.tail + text;
    let consumed = 0;
    for (let boundary = findEventBoundary(probe, 0); boundary; boundary = findEventBoundary(probe, consumed)) {
      const block = consumed === 0 ? this.takePending() + probe.slice(0, boundary.end) : probe.slice(consumed, boundary.end);
      if (this.skipping) this.skipping = false;
      else this.dispatch(block);
      consumed = boundary.next;
    }
    const rest = consumed === 0 ? text : probe.slice(consumed);
    if (!this.skipping && rest) {
      this.parts.push(rest);
      this.partsLength += rest.length;
    }
    this.tail = (consumed === 0 ? probe : rest).slice(-3);
    if (this.partsLength > this.maxEventLength) {
      // The oversized event is lost to parsing, never to the caller, who reads the bytes from the
      // stream, not from us.
      this.onOversized();
      this.skipping = true;
      this.parts = [];
      this.partsLength = 0;
    }
  }

  /**
   * The stream ended. As the event-stream specification says, an event not terminated by a blank
   * line is incomplete and is discarded: a stream cut mid-event must not yield half an event.
   */
  end(): void {
    this.parts = [];
    this.partsLength = 0;
    this.tail = '';
    this.skipping = false;
  }

  /** The pending event without its tail, which the probe of this push starts with. */
  private takePending(): string {
    const pending = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.partsLength = 0;
    return pending.slice(0, pending.length - this.tail.length);
  }

  private dispatch(block: string): void {
    // Most events are one `data: ` line and nothing else: no split, no per-line slices (the line
    // loop was 2 µs of a 12-event stream in bench/overhead's profile).
    if (block.startsWith('data: ') && block.indexOf('\n') === -1 && block.indexOf('\r') === -1) {
      this.onEvent({ data: block.slice(6) });
      return;
    }
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
