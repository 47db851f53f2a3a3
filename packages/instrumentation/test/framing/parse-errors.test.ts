import { describe, expect, it } from 'vitest';
import { openAiChatAdapter } from '../../src/providers/openai-chat';
import { exchange, replay } from '../support/replay';

// Issue 8 item 4: a diagnostic must not carry response content. Before, a stream event that was not
// JSON put its first 80 characters into llm_otel.parse_error, and a JSON body V8's own message, which
// quotes the text.
const SECRET = 'Patient Jane Roe, SSN 123-45-6789, jane.roe@example.com';
const URL_CHAT = 'https://api.openai.com/v1/chat/completions';

function problemsOf(body: string, contentType: string): string[] {
  const { problems } = replay(
    openAiChatAdapter,
    exchange(URL_CHAT, { model: 'gpt-4o', messages: [], stream: contentType.includes('event-stream') }, body, contentType),
    {
      captureContent: false,
      keepOutputText: false,
      chunkSizes: [7, body.length],
    },
  );
  return problems;
}

describe('parse errors say what failed, never what the text was', () => {
  it('a streamed event that is not JSON: its index, SSE name and size', () => {
    const body = `data: {"id":"c1","choices":[]}\n\nevent: message_delta\ndata: ${SECRET}\n\ndata: [DONE]\n\n`;
    const problems = problemsOf(body, 'text/event-stream');
    expect(problems).toEqual([`streamed event #1 (SSE event "message_delta") is not JSON: ${Buffer.byteLength(SECRET)} bytes, invalid`]);
    for (const problem of problems) for (const piece of ['Jane', '6789', 'example.com', 'Patient']) expect(problem).not.toContain(piece);
  });

  it('an SSE event name that is not an identifier is left out', () => {
    const problems = problemsOf(`event: ${SECRET}\ndata: not json\n\n`, 'text/event-stream');
    expect(problems).toEqual(['streamed event #0 is not JSON: 8 bytes, invalid']);
  });

  it('a JSON body cut short: its size, not V8 quoting the text', () => {
    const body = `{"id":"c1","choices":[{"message":{"content":"${SECRET}`;
    const problems = problemsOf(body, 'application/json');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^response body is not JSON: \d+ bytes, cut short/);
    for (const piece of ['Jane', '6789', 'example.com', 'choices']) expect(problems[0]).not.toContain(piece);
  });
});
