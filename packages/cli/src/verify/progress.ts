const INTERVAL_MS = 1000;

/** One progress line on stderr, at most once a second; rewritten in place on a terminal. */
export class Progress {
  private bytes = 0;
  private total: number | undefined;
  private spans = 0;
  private file = '';
  private last = 0;
  private wrote = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly inPlace = enabled,
  ) {}

  startInput(file: string, size: number | undefined): void {
    this.file = file;
    this.bytes = 0;
    this.total = size;
  }

  addBytes(bytes: number): void {
    this.bytes += bytes;
    this.maybeWrite();
  }

  setSpans(spans: number): void {
    this.spans = spans;
  }

  done(): void {
    if (this.enabled && this.wrote && this.inPlace) this.write('\n');
  }

  private maybeWrite(): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < INTERVAL_MS) return;
    this.last = now;
    const mb = (value: number) => `${(value / 1_048_576).toFixed(1)} MiB`;
    const of = this.total === undefined ? '' : ` of ${mb(this.total)}`;
    this.write(
      `${this.inPlace ? '\r' : ''}verify: ${this.file}: ${mb(this.bytes)}${of} read, ${this.spans.toLocaleString('en-US')} spans${this.inPlace ? '' : '\n'}`,
    );
    this.wrote = true;
  }
}
