/**
 * Azure OpenAI chat completions as the service sends them (keys sorted, as Azure serialises them):
 * content-filter results on the prompt and on every choice; the model is the deployed model's dated
 * name, whatever the deployment is called. A stream opens with a chunk that has no choices and an
 * empty `id`, `model` and `object`, carrying only the prompt's filter results.
 */
export const AZURE_ANSWER = {
  id: 'chatcmpl-CMq8yT3kZ7pW2xLd9QfVb4NcR1sHe',
  model: 'gpt-4o-2024-11-20',
  content: 'Your order A-1234 left our warehouse yesterday and should arrive on Friday.',
  promptTokens: 31,
  completionTokens: 17,
};

const safe = { filtered: false, severity: 'safe' };
const choiceFilters = {
  hate: safe,
  protected_material_code: { filtered: false, detected: false },
  protected_material_text: { filtered: false, detected: false },
  self_harm: safe,
  sexual: safe,
  violence: safe,
};
const promptFilters = [
  { content_filter_results: { hate: safe, jailbreak: { filtered: false, detected: false }, self_harm: safe, sexual: safe, violence: safe }, prompt_index: 0 },
];
const usage = {
  completion_tokens: AZURE_ANSWER.completionTokens,
  completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: 0, rejected_prediction_tokens: 0 },
  prompt_tokens: AZURE_ANSWER.promptTokens,
  prompt_tokens_details: { audio_tokens: 0, cached_tokens: 0 },
  total_tokens: AZURE_ANSWER.promptTokens + AZURE_ANSWER.completionTokens,
};
const created = 1760003521;
const fingerprint = 'fp_ee1d74bde0';

export function azureChatCompletion(): Record<string, unknown> {
  return {
    choices: [
      {
        content_filter_results: choiceFilters,
        finish_reason: 'stop',
        index: 0,
        logprobs: null,
        message: { annotations: [], content: AZURE_ANSWER.content, refusal: null, role: 'assistant' },
      },
    ],
    created,
    id: AZURE_ANSWER.id,
    model: AZURE_ANSWER.model,
    object: 'chat.completion',
    prompt_filter_results: promptFilters,
    system_fingerprint: fingerprint,
    usage,
  };
}

/** The streamed form, one SSE event per string; with include_usage the usage comes on a chunk without choices. */
export function azureChatStream(includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    choices,
    created,
    id: AZURE_ANSWER.id,
    model: AZURE_ANSWER.model,
    object: 'chat.completion.chunk',
    system_fingerprint: fingerprint,
    ...extra,
  });
  const delta = (value: Record<string, unknown>, finishReason: string | null = null, filters: unknown = {}) =>
    chunk([{ content_filter_results: filters, delta: value, finish_reason: finishReason, index: 0, logprobs: null }]);
  // The content filter releases text in buffered runs, not token by token.
  const [first, second] = [AZURE_ANSWER.content.slice(0, 38), AZURE_ANSWER.content.slice(38)];
  const chunks: unknown[] = [
    { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: promptFilters },
    delta({ content: '', refusal: null, role: 'assistant' }),
    delta({ content: first }, null, choiceFilters),
    delta({ content: second }, null, choiceFilters),
    delta({}, 'stop'),
  ];
  if (includeUsage) chunks.push(chunk([], { usage }));
  return [...chunks.map((data) => `data: ${JSON.stringify(data)}\n\n`), 'data: [DONE]\n\n'];
}
