import { TokenCountClient, type EncodingName, type EstimateSkipReason } from './token-count-client';

/**
 * The tokenizer of a model family, where it is public. Only OpenAI publishes its tokenizers; for any
 * other family we do not guess (a wrong tokenizer would put a confident wrong number on the span).
 */
export function encodingForModel(model: string): EncodingName | undefined {
  const id = model.replace(/^(?:openai\/|azure\/)/, '');
  if (/^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-6|o1|o3|o4|chatgpt-4o|gpt-oss|codex)/.test(id)) return 'o200k_base';
  if (/^(?:gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/.test(id)) return 'cl100k_base';
  return undefined;
}

export interface TokenEstimate {
  inputTokens?: number;
  outputTokens: number;
  encoding: EncodingName;
}

// OpenAI's published accounting for chat messages: every message costs 3 tokens of framing, and
// every reply is primed with 3 more.
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

const counter = new TokenCountClient();

/**
 * Estimates input and output tokens with the family's tokenizer; undefined when the family has none
 * (nothing to say), `{ skipped }` when it has one but no count could be made (said on the span).
 */
export async function estimateTokens(
  model: string,
  input: { texts: string[]; messageCount: number; fixedTokens?: number } | undefined,
  outputText: string,
): Promise<TokenEstimate | { skipped: EstimateSkipReason } | undefined> {
  const encoding = encodingForModel(model);
  if (!encoding) return undefined;
  const counts = await counter.count(encoding, [outputText, ...(input?.texts ?? [])]);
  if (!Array.isArray(counts)) return counts;
  const [outputTokens, ...inputCounts] = counts;
  if (!input) return { outputTokens, encoding };
  // fixedTokens: framing that is not text (function definitions, message names), from the adapter.
  const inputTokens = inputCounts.reduce((sum, count) => sum + count, REPLY_PRIMING + TOKENS_PER_MESSAGE * input.messageCount + (input.fixedTokens ?? 0));
  return { inputTokens, outputTokens, encoding };
}
