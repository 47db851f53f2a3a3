/**
 * A huge OpenAI chat completion body of an exact size, produced piece by piece so that neither the
 * stand-in nor anything else has to hold it: the content is one long string and the usage comes last,
 * which is the worst case for anything that wants the usage of a large non-streamed response.
 */
export interface GeneratedBody {
  /** Exactly the requested number of bytes. */
  byteLength: number;
  /** The body, in pieces of at most FILLER_BYTES. */
  pieces(): Generator<Uint8Array>;
}

const FILLER_BYTES = 64 * 1024;
const MODEL = 'gpt-4o-mini-2024-07-18';
const PROMPT_TOKENS = 12;

/** JSON-safe ASCII prose (no quotes, no backslashes), repeated to fill one piece. */
const FILLER = Buffer.from(
  'The quick brown fox jumps over the lazy dog while the observability pipeline counts every token. '
    .repeat(Math.ceil(FILLER_BYTES / 96))
    .slice(0, FILLER_BYTES),
  'latin1',
);

export function generatedChatCompletion(byteLength: number): GeneratedBody {
  const prefix = Buffer.from(
    '{"id":"chatcmpl-GeneratedStandInBody00000000000","object":"chat.completion","created":1760000000,' +
      `"model":"${MODEL}","choices":[{"index":0,"message":{"role":"assistant","content":"`,
  );
  // Roughly four bytes of English per token; the suffix length barely moves the estimate.
  const completionTokens = Math.max(1, Math.ceil((byteLength - prefix.length - 400) / 4));
  const suffix = Buffer.from(
    '","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"length"}],' +
      `"usage":{"prompt_tokens":${PROMPT_TOKENS},"completion_tokens":${completionTokens},` +
      `"total_tokens":${PROMPT_TOKENS + completionTokens},` +
      '"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},' +
      '"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,' +
      '"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},' +
      '"service_tier":"default","system_fingerprint":"fp_standin0001"}',
  );
  const contentBytes = byteLength - prefix.length - suffix.length;
  if (!Number.isInteger(byteLength) || contentBytes < 0) {
    throw new RangeError(`generatedJsonBytes must be an integer >= ${prefix.length + suffix.length}`);
  }
  return {
    byteLength,
    *pieces() {
      yield prefix;
      for (let left = contentBytes; left > 0; left -= FILLER_BYTES) {
        // A fresh copy per piece, like a real body: memory then shows whether backpressure holds.
        yield Buffer.from(FILLER.subarray(0, Math.min(left, FILLER_BYTES)));
      }
      yield suffix;
    },
  };
}
