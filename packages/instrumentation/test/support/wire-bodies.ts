/** Response bodies in the providers' wire framings, for the cases no recording covers. */

/** `event: name` (when given) and `data: json` lines, events separated by a blank line. */
export function sseBody(events: ReadonlyArray<readonly [name: string | undefined, data: unknown]>, newline = '\n'): string {
  return events
    .map(
      ([name, data]) =>
        `${name === undefined ? '' : `event: ${name}${newline}`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}${newline}${newline}`,
    )
    .join('');
}

/** One JSON object per line (Ollama's `application/x-ndjson`). */
export function ndjsonBody(lines: readonly unknown[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}

/** A pretty-printed JSON array sent element by element, as Gemini streams without `alt=sse`. */
export function jsonArrayBody(elements: readonly unknown[]): string {
  return `[${elements.map((element) => JSON.stringify(element, null, 2)).join('\n,\r\n')}\n]`;
}
