import { diag } from '@opentelemetry/api';
import type { Tiktoken } from 'js-tiktoken/lite';

export type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * The tokenizer of a model family, where it is public. Only OpenAI publishes its tokenizers; for any
 * other family we do not guess (a wrong tokenizer would put a confident wrong number on the span).
 */
export function encodingForModel(model: string): EncodingName | undefined {
  const id = model.replace(/^(?:openai\/|azure\/)/, '');
  if (/^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o|gpt-oss|codex)/.test(id)) return 'o200k_base';
  if (/^(?:gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/.test(id)) return 'cl100k_base';
  return undefined;
}

const encoders = new Map<EncodingName, Promise<Tiktoken | undefined>>();

/**
 * Loads an encoding once, on first need: the rank tables are 1–2 MB of JavaScript that most
 * processes (those whose streams report usage) never need.
 */
function loadEncoder(name: EncodingName): Promise<Tiktoken | undefined> {
  let encoder = encoders.get(name);
  if (!encoder) {
    encoder = (async () => {
      try {
        const { Tiktoken } = await import('js-tiktoken/lite');
        const ranks =
          name === 'o200k_base'
            ? (await import('js-tiktoken/ranks/o200k_base')).default
            : (await import('js-tiktoken/ranks/cl100k_base')).default;
        return new Tiktoken(ranks);
      } catch (error) {
        diag.warn(`llm-otel: cannot load the ${name} tokenizer; token counts will not be estimated`, error);
        return undefined;
      }
    })();
    encoders.set(name, encoder);
  }
  return encoder;
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

/** Estimates input and output tokens with the family's tokenizer, or undefined when it has none. */
export async function estimateTokens(
  model: string,
  input: { texts: string[]; messageCount: number } | undefined,
  outputText: string,
): Promise<TokenEstimate | undefined> {
  const encoding = encodingForModel(model);
  if (!encoding) return undefined;
  const encoder = await loadEncoder(encoding);
  if (!encoder) return undefined;
  const outputTokens = encoder.encode(outputText).length;
  if (!input) return { outputTokens, encoding };
  let inputTokens = REPLY_PRIMING + TOKENS_PER_MESSAGE * input.messageCount;
  for (const text of input.texts) inputTokens += encoder.encode(text).length;
  return { inputTokens, outputTokens, encoding };
}
