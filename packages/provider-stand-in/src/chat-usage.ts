import type { ChatRequest } from './chat-request';

/** The `usage` object of an OpenAI chat completion, with its detail objects as the API sends them. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
  completion_tokens_details: {
    reasoning_tokens: number;
    audio_tokens: number;
    accepted_prediction_tokens: number;
    rejected_prediction_tokens: number;
  };
}

/**
 * Prompt tokens the way OpenAI counts them, approximately: about four characters of English per token,
 * a few tokens of framing per message, and the tool definitions.
 */
export function promptTokens(request: ChatRequest): number {
  let tokens = 3;
  for (const message of request.messages) {
    tokens += 4 + textTokens(message.text);
    for (const args of message.toolCallArguments) tokens += 8 + textTokens(args);
  }
  if (request.tools.length > 0) tokens += 12 + textTokens(JSON.stringify(request.tools));
  return tokens;
}

export function textTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function chatUsage(prompt: number, completion: number, cached: number, reasoning: number): ChatUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion + reasoning,
    total_tokens: prompt + completion + reasoning,
    prompt_tokens_details: { cached_tokens: Math.min(cached, prompt), audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
