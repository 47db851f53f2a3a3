/**
 * A vLLM OpenAI-compatible server (`vllm serve meta-llama/Llama-3.1-8B-Instruct`) answering chat
 * completions: the served model name as `model`, vLLM's extra fields (`stop_reason`,
 * `reasoning_content`, `prompt_logprobs`, `kv_transfer_params`), usage without details, and with
 * `stream_options.include_usage` a last chunk without choices that carries the usage.
 */
export const VLLM_ANSWER = {
  id: 'chatcmpl-5e0b8a41c7d94f0e9a3b2c1d0e9f8a7b',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  content: 'Your order A-1234 shipped yesterday; expect it by Friday.',
  promptTokens: 48,
  completionTokens: 15,
};

const created = 1760004100;
const usage = {
  prompt_tokens: VLLM_ANSWER.promptTokens,
  total_tokens: VLLM_ANSWER.promptTokens + VLLM_ANSWER.completionTokens,
  completion_tokens: VLLM_ANSWER.completionTokens,
  prompt_tokens_details: null,
};

export function vllmChatCompletion(): Record<string, unknown> {
  return {
    id: VLLM_ANSWER.id,
    object: 'chat.completion',
    created,
    model: VLLM_ANSWER.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', reasoning_content: null, content: VLLM_ANSWER.content, tool_calls: [] },
        logprobs: null,
        finish_reason: 'stop',
        stop_reason: null,
      },
    ],
    usage,
    prompt_logprobs: null,
    kv_transfer_params: null,
  };
}

export function vllmChatStream(includeUsage: boolean): string[] {
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: VLLM_ANSWER.id,
    object: 'chat.completion.chunk',
    created,
    model: VLLM_ANSWER.model,
    choices,
    ...extra,
  });
  const pieces = VLLM_ANSWER.content.match(/\s*\S+/g) ?? [];
  const chunks: unknown[] = [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
    ...pieces.map((piece) => chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }])),
    chunk([{ index: 0, delta: { content: '' }, logprobs: null, finish_reason: 'stop', stop_reason: null }]),
  ];
  if (includeUsage) chunks.push(chunk([], { usage }));
  return [...chunks.map((data) => `data: ${JSON.stringify(data)}\n\n`), 'data: [DONE]\n\n'];
}
