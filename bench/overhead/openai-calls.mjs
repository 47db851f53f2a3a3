import { plainExchange, streamExchange, STREAM_EVENT_COUNT } from './recorded-exchanges.mjs';

// The answers' own ids, to check that the SDK got the recorded bytes through whichever path.
const plainId = JSON.parse(plainExchange.body).id;
// Content deltas plus the finish_reason and usage chunks: everything but `[DONE]`.
const streamChunkCount = STREAM_EVENT_COUNT - 1;

/** A non-streaming chat completion through the SDK; throws if the result is not the recorded one. */
export async function plainCall(client) {
  const completion = await client.chat.completions.create(plainExchange.params);
  if (completion.id !== plainId) throw new Error(`unexpected completion id ${completion.id}`);
}

/** A streamed chat completion read to its end; throws if a chunk or the usage went missing. */
export async function streamCall(client) {
  const stream = await client.chat.completions.create(streamExchange.params);
  let chunks = 0;
  let usage;
  for await (const chunk of stream) {
    chunks++;
    usage ??= chunk.usage ?? undefined;
  }
  if (chunks !== streamChunkCount || !usage) throw new Error(`stream ended after ${chunks} chunks, usage ${usage ? 'seen' : 'missing'}`);
}

export const CALL_KINDS = [
  { name: 'plain', label: 'chat completion', call: plainCall },
  { name: 'stream', label: `stream, ${STREAM_EVENT_COUNT} chunks`, call: streamCall },
];
