/**
 * Per wire protocol, the top-level request members that do not change the answer, left out of the
 * request fingerprint (docs/request-fingerprint.md has the same table). Whether the answer streams,
 * who it is billed or attributed to, whether the provider stores it, which cache key or latency tier
 * it uses: none of these changes what the model is asked. Everything not listed is fingerprinted, so
 * a new sampling parameter changes the fingerprint before anyone updates a list.
 */
const OPENAI_TRACKING = ['user', 'metadata', 'store', 'service_tier', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier'] as const;

export const NON_DETERMINING_FIELDS = {
  /** platform.openai.com/docs/api-reference/chat/create */
  openaiChat: ['stream', 'stream_options', ...OPENAI_TRACKING],
  /** platform.openai.com/docs/api-reference/responses/create; `background` only changes how the answer is fetched. */
  openaiResponses: ['stream', 'stream_options', 'background', ...OPENAI_TRACKING],
  openaiCompletions: ['stream', 'stream_options', 'user'],
  openaiEmbeddings: ['user'],
  /** docs.anthropic.com/en/api/messages; `metadata` holds only `user_id`. */
  anthropicMessages: ['stream', 'metadata', 'service_tier'],
  /** Vertex AI's `labels` are billing tags; the model and streaming are in the URL, not the body. */
  gemini: ['labels'],
  /** github.com/ollama/ollama docs/api.md: `keep_alive` is how long the model stays loaded. */
  ollama: ['stream', 'keep_alive'],
} as const satisfies Record<string, readonly string[]>;
