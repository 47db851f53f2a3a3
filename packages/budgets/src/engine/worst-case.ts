import type { OutgoingLlmRequest } from '@llm-otel/instrumentation';
import { usdToMicros } from '../money';

/** OpenAI's chat framing: about 3 tokens per message plus 3 to prime the reply; 4 is an upper bound. */
const FRAMING_TOKENS_PER_MESSAGE = 4;

/**
 * The most a request can cost, micro-dollars, before it is sent; undefined when it cannot be bounded
 * (no model, no price, no readable input). Input tokens are bounded by the UTF-8 byte count of the
 * texts a tokenizer would count (a BPE token covers at least one byte) plus framing; output by the
 * request's max_tokens, else the model's maximum output from the price table, else 0 (documented:
 * such a request is bounded by its input only).
 */
export function worstCaseMicros(request: OutgoingLlmRequest): number | undefined {
  const model = request.model;
  if (model === undefined) return undefined;
  const input = request.inputTexts();
  if (!input) return undefined;
  let inputTokens = (input.fixedTokens ?? 0) + FRAMING_TOKENS_PER_MESSAGE * (input.messageCount + 1);
  for (const text of input.texts) inputTokens += Buffer.byteLength(text);
  const outputTokens = request.maxOutputTokens ?? request.modelMaxOutputTokens(model) ?? 0;
  const priced = request.price(model, { inputTokens, outputTokens });
  return priced ? usdToMicros(priced.cost) : undefined;
}
