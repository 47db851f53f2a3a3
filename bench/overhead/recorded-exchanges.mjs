import { readFileSync } from 'node:fs';

// Real provider traffic (test/fixtures/recorded), so the SDK and our parsers see production-shaped
// bytes: the same bodies, headers and SSE framing OpenAI sent.
const FIXTURES = new URL('../../test/fixtures/recorded/', import.meta.url);

/** How many SSE events the streamed answer has, each delivered as its own chunk. */
export const STREAM_EVENT_COUNT = 12;

function recording(name) {
  return JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')).entries;
}

function responseHeaders(recorded) {
  const headers = { ...recorded.headers };
  delete headers.connection; // hop-by-hop: the server (or the Response) decides
  return headers;
}

/**
 * The 12-event stream: the role chunk, the first eight content deltas, the finish_reason chunk,
 * the usage chunk (`stream_options.include_usage`) and `data: [DONE]`, all taken verbatim from the
 * recorded 22-event answer.
 */
function twelveEventStream(body) {
  const events = body.split('\n\n').filter((event) => event.trim() !== '');
  const done = events.findIndex((event) => event === 'data: [DONE]');
  const picked = [...events.slice(0, 9), ...events.slice(done - 2, done + 1)];
  if (picked.length !== STREAM_EVENT_COUNT || !picked[STREAM_EVENT_COUNT - 2].includes('"usage":{')) {
    throw new Error('the include-usage fixture no longer has the expected shape');
  }
  return picked.map((event) => `${event}\n\n`);
}

const [chat] = recording('openai-chat.json');
// The second call of the recording answers in text (the first one streams a tool call).
const [, streamed] = recording('openai-chat-stream-include-usage.json');

/** A non-streaming chat completion: request parameters and the recorded answer. */
export const plainExchange = {
  params: JSON.parse(chat.request.body),
  status: chat.response.status,
  headers: responseHeaders(chat.response),
  body: chat.response.body,
};

/** A streamed chat completion with `include_usage`: request parameters and the 12 SSE events. */
export const streamExchange = {
  params: JSON.parse(streamed.request.body),
  status: streamed.response.status,
  headers: responseHeaders(streamed.response),
  events: twelveEventStream(streamed.response.body),
};
