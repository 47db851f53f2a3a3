/**
 * Incremental decoder of a streamed top-level JSON array (`[{...},{...}]`, as Gemini's
 * `streamGenerateContent` sends without `alt=sse`): emits each element's text as soon as it is
 * complete. Tracks only nesting depth and string state, so memory is one element at most; an element
 * longer than `maxElementLength` is skipped whole and the skip reported.
 */
export class JsonArrayDecoder {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private element = '';
  private skipping = false;

  constructor(
    private readonly onElement: (text: string) => void,
    private readonly onOversized: () => void,
    private readonly maxElementLength: number,
  ) {}

  push(text: string): void {
    let elementStart = this.depth >= 2 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (c === 34) {
        this.inString = true;
      } else if (c === 91 /* [ */ || c === 123 /* { */) {
        this.depth++;
        if (this.depth === 2) elementStart = i;
      } else if (c === 93 /* ] */ || c === 125 /* } */) {
        this.depth--;
        if (this.depth === 1) {
          this.complete(text.slice(Math.max(elementStart, 0), i + 1));
          elementStart = -1;
        }
      }
    }
    if (this.depth >= 2 && elementStart !== -1) this.append(text.slice(elementStart));
  }

  end(): void {
    this.element = '';
    this.skipping = false;
  }

  private append(part: string): void {
    if (this.skipping) return;
    if (this.element.length + part.length > this.maxElementLength) {
      this.skipping = true;
      this.element = '';
      this.onOversized();
      return;
    }
    this.element += part;
  }

  private complete(lastPart: string): void {
    if (!this.skipping) {
      const text = this.element + lastPart;
      if (text.length <= this.maxElementLength) this.onElement(text);
      else this.onOversized();
    }
    this.element = '';
    this.skipping = false;
  }
}
