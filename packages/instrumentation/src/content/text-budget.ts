/**
 * Parts (text runs, tool calls, other blocks) one call keeps at most. The text budget alone bounds
 * characters, not structures: a stream alternating text and named tool-call deltas made a new part per
 * delta and grew the heap by 13-22 MB/s (issue 8 item 14). Real responses have a handful of parts.
 */
export const MAX_PARTS_PER_CALL = 1024;

/**
 * A per-call bound on the text and on the number of parts we keep for content capture and token
 * estimation, so that a long generation never grows our memory past the configured limit.
 */
export class TextBudget {
  /** Text or parts were dropped: the span says `llm_otel.content.truncated`. */
  truncated = false;
  private parts = 0;

  constructor(
    private remaining: number,
    private readonly maxParts = MAX_PARTS_PER_CALL,
  ) {}

  /** Claims room for one more part; false (and truncated) when the call already keeps as many as allowed. */
  takePart(): boolean {
    if (this.parts >= this.maxParts) {
      this.truncated = true;
      return false;
    }
    this.parts++;
    return true;
  }

  /** Returns as much of `text` as the budget allows. */
  take(text: string): string {
    if (text.length <= this.remaining) {
      this.remaining -= text.length;
      return text;
    }
    this.truncated = true;
    let kept = text.slice(0, Math.max(0, this.remaining));
    // Cut at a word boundary, and before a trailing run of digits: a token or number cut in half
    // (the first 12 digits of a card, half an e-mail address) could no longer be recognised by PII
    // masking, which runs after us.
    if (!/\s/.test(text.charAt(kept.length))) {
      const boundary = kept.search(/\s\S*$/);
      kept = boundary === -1 ? '' : kept.slice(0, boundary);
    }
    kept = kept.replace(/[\d\s().+-]*$/, '');
    this.remaining = 0;
    return kept;
  }
}

/** Parses tool-call arguments for the message schema; keeps the raw string when it is not JSON. */
export function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
