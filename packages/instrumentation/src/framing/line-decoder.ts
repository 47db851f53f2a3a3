/**
 * Incremental newline-delimited JSON decoder (Ollama's `application/x-ndjson` streams). Emits each
 * non-empty line; a line longer than `maxLineLength` is skipped whole and the skip reported.
 */
export class LineDecoder {
  private buffer = '';
  private skipping = false;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOversized: () => void,
    private readonly maxLineLength: number,
  ) {}

  push(text: string): void {
    // Only the new text can hold the next newline: a long line arriving in many chunks is not rescanned.
    let buffer = this.buffer + text;
    let start = 0;
    for (let newline = buffer.indexOf('\n', this.buffer.length); newline !== -1; newline = buffer.indexOf('\n', start)) {
      if (this.skipping) this.skipping = false;
      else this.emit(buffer.slice(start, newline));
      start = newline + 1;
    }
    buffer = start === 0 ? buffer : buffer.slice(start);
    if (buffer.length > this.maxLineLength) {
      if (!this.skipping) this.onOversized();
      this.skipping = true;
      buffer = '';
    }
    this.buffer = buffer;
  }

  end(): void {
    if (!this.skipping) this.emit(this.buffer);
    this.buffer = '';
    this.skipping = false;
  }

  private emit(line: string): void {
    const trimmed = line.trim();
    if (trimmed !== '') this.onLine(trimmed);
  }
}
