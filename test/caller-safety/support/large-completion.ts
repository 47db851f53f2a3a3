/**
 * A non-streamed OpenAI chat completion whose answer is `word` repeated `count` times: a body of a
 * chosen size, just under or over the instrumentation's 4 MiB whole-body bound.
 */
export function largeChatCompletion(id: string, word: string, count: number): string {
  return JSON.stringify({
    id,
    object: 'chat.completion',
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: word.repeat(count) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: count, total_tokens: count + 3 },
  });
}
