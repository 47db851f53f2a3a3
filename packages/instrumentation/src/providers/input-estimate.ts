import type { InputMessage, MessagePart, ToolDefinition } from '../content/messages';
import { encodingForModel } from '../estimate/token-estimator';
import type { EstimateInput, RequestContent } from './adapter';
import { asArray, asObject, asString } from './json-access';

/**
 * The texts a tokenizer would count in a request already turned into semconv messages, for a usage
 * estimate when a response reports none. System instructions count as one more message; the tool
 * definitions are counted as OpenAI frames them (toolDefinitionsForEstimate).
 */
export function inputForEstimate(
  messages: readonly InputMessage[],
  system?: readonly MessagePart[],
  tools?: readonly ToolDefinition[],
  model?: string,
): EstimateInput {
  const texts: string[] = [];
  for (const part of system ?? []) pushPartText(texts, part);
  for (const message of messages) for (const part of message.parts) pushPartText(texts, part);
  const input: EstimateInput = { texts, messageCount: messages.length + (system && system.length > 0 ? 1 : 0) };
  return withToolDefinitions(input, tools, model);
}

/** Adds the tokens of the request's function definitions to an estimate input. */
export function withToolDefinitions(input: EstimateInput, tools: readonly ToolDefinition[] | undefined, model: string | undefined): EstimateInput {
  if (!tools || tools.length === 0) return input;
  const definitions = toolDefinitionsForEstimate(tools, model);
  input.texts.push(...definitions.texts);
  input.fixedTokens = (input.fixedTokens ?? 0) + definitions.fixedTokens;
  return input;
}

// OpenAI's published accounting for function definitions: the OpenAI cookbook "How to count tokens
// with tiktoken" (num_tokens_for_tools). The framing tokens per function differ by model family;
// the rest is the same for both.
const FUNCTION_INIT = { o200k_base: 7, cl100k_base: 10 } as const;
const PROPERTIES_INIT = 3;
const PROPERTY_KEY = 3;
const ENUM_INIT = -3;
const ENUM_ITEM = 3;
const FUNCTIONS_END = 12;

/**
 * The function definitions as OpenAI counts them: per function `name:description` and framing, per
 * parameter `name:type:description` and framing, every enum value. A trailing period of a
 * description is not counted. Nested schemas are not in the published accounting and are not counted.
 * Built-in tools (no JSON schema) add nothing.
 */
export function toolDefinitionsForEstimate(tools: readonly ToolDefinition[], model: string | undefined): { texts: string[]; fixedTokens: number } {
  const functionInit = FUNCTION_INIT[(model && encodingForModel(model)) || 'o200k_base'];
  const texts: string[] = [];
  let fixedTokens = 0;
  let functions = 0;
  for (const tool of tools) {
    if (tool.type !== 'function') continue;
    functions++;
    fixedTokens += functionInit;
    texts.push(`${tool.name}:${withoutFinalPeriod(tool.description ?? '')}`);
    const properties = asObject(asObject(tool.parameters)?.properties);
    const keys = properties ? Object.keys(properties) : [];
    if (keys.length === 0) continue;
    fixedTokens += PROPERTIES_INIT;
    for (const key of keys) {
      fixedTokens += PROPERTY_KEY;
      const property = asObject(properties?.[key]);
      const values = asArray(property?.enum);
      if (values) {
        fixedTokens += ENUM_INIT;
        for (const value of values) {
          fixedTokens += ENUM_ITEM;
          texts.push(String(value));
        }
      }
      texts.push(`${key}:${asString(property?.type) ?? ''}:${withoutFinalPeriod(asString(property?.description) ?? '')}`);
    }
  }
  if (functions > 0) fixedTokens += FUNCTIONS_END;
  return { texts, fixedTokens };
}

function withoutFinalPeriod(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

function pushPartText(texts: string[], part: MessagePart): void {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      if (typeof part.content === 'string' && part.content) texts.push(part.content);
      return;
    case 'tool_call':
      texts.push(`${String(part.name ?? '')}${stringify(part.arguments)}`);
      return;
    case 'tool_call_response':
      texts.push(stringify(part.response));
      return;
    default:
      return;
  }
}

function stringify(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The estimate input of a request's content (built lazily by the adapter). */
export function inputForEstimateOf(content: RequestContent, model: string | undefined): EstimateInput {
  return inputForEstimate(content.inputMessages ?? [], content.systemInstructions, content.toolDefinitions, model);
}
