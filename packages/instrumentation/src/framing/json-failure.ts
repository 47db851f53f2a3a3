/**
 * Says why some text is not JSON without quoting it. V8's JSON.parse messages quote the text
 * (`Unexpected token 'S', "Sure, here"... is not valid JSON`), and we used to put the first 80
 * characters of a bad event into `llm_otel.parse_error` ourselves: response text on spans with
 * content capture off (issue 8 item 4). Only the position, the size and, for SSE, an event name
 * that looks like a protocol name go on the span.
 */
export function describeJsonFailure(what: string, text: string, error: unknown, eventName?: string): string {
  // Only what the parser says about *where*, never its quote of the text.
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  const details = [`${Buffer.byteLength(text)} bytes`];
  if (text.trim() === '') details.push('empty');
  else if (/end of JSON input|Unterminated/.test(message)) details.push(position === undefined ? 'cut short' : `cut short at character ${position}`);
  else details.push(position === undefined ? 'invalid' : `invalid at character ${position}`);
  const named = eventName !== undefined && SAFE_EVENT_NAME.test(eventName) ? ` (SSE event "${eventName}")` : '';
  return `${what}${named} is not JSON: ${details.join(', ')}`;
}

// Provider event names are short identifiers (`message_delta`, `response.output_text.delta`); anything
// else could be content and is left out.
const SAFE_EVENT_NAME = /^[A-Za-z][\w.-]{0,63}$/;
