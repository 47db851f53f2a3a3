import type { Readable } from 'node:stream';

export type Line = { lineNumber: number; text: string } | { lineNumber: number; tooLong: true };

/**
 * Lines of a stream, each at most `maxBytes` long: a longer line is skipped (reported as too long)
 * without ever being held whole, so memory stays bounded by `maxBytes` whatever the input.
 */
export async function* boundedLines(stream: Readable, maxBytes: number, onBytes: (bytes: number) => void): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let lineNumber = 1;
  const finish = (): Line => {
    const line: Line = tooLong ? { lineNumber, tooLong: true } : { lineNumber, text: Buffer.concat(parts).toString('utf8') };
    parts = [];
    held = 0;
    tooLong = false;
    lineNumber += 1;
    return line;
  };
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    onBytes(buffer.length);
    let from = 0;
    while (from < buffer.length) {
      const newline = buffer.indexOf(0x0a, from);
      const end = newline < 0 ? buffer.length : newline;
      if (!tooLong) {
        if (held + (end - from) > maxBytes) {
          tooLong = true;
          parts = [];
          held = 0;
        } else {
          parts.push(buffer.subarray(from, end));
          held += end - from;
        }
      }
      if (newline < 0) break;
      yield finish();
      from = newline + 1;
    }
  }
  if (tooLong || held > 0) yield finish();
}
