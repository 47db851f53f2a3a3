/**
 * A per-call bound on the text we keep for content capture and token estimation, so that a long
 * generation never grows our memory past the configured limit.
 */
export class TextBudget {
  truncated = false;

  constructor(private remaining: number) {}

  /** Returns as much of `text` as the budget allows. */
  take(text: string): string {
    if (text.length <= this.remaining) {
      this.remaining -= text.length;
      return text;
    }
    this.truncated = true;
    const kept = text.slice(0, Math.max(0, this.remaining));
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
