import type { InputMessage, MessagePart } from '../content/messages';
import type { RequestContent } from './adapter';

/**
 * The texts a tokenizer would count in a request already turned into semconv messages, for a usage
 * estimate when a response reports none. System instructions count as one more message.
 */
export function inputForEstimate(messages: readonly InputMessage[], system?: readonly MessagePart[]): { texts: string[]; messageCount: number } {
  const texts: string[] = [];
  for (const part of system ?? []) pushPartText(texts, part);
  for (const message of messages) for (const part of message.parts) pushPartText(texts, part);
  return { texts, messageCount: messages.length + (system && system.length > 0 ? 1 : 0) };
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
export function inputForEstimateOf(content: RequestContent): { texts: string[]; messageCount: number } {
  return inputForEstimate(content.inputMessages ?? [], content.systemInstructions);
}
