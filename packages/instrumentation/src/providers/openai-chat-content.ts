import type { InputMessage, MessagePart } from '../content/messages';
import type { EstimateInput } from './adapter';
import { parseArguments } from '../content/text-budget';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { dataUrlMediaType, filePart, omittedBlobPart } from './media-parts';

/** OpenAI chat `messages` to the semconv input-message schema. */
export function toInputMessages(messages: unknown[]): InputMessage[] {
  const result: InputMessage[] = [];
  for (const item of messages) {
    const message = asObject(item);
    if (!message) continue;
    const role = asString(message.role) ?? 'user';
    const parts: MessagePart[] = [];
    if (role === 'tool') {
      parts.push({ type: 'tool_call_response', id: asString(message.tool_call_id), response: contentText(message.content) });
    } else {
      parts.push(...contentParts(message.content));
      for (const call of asArray(message.tool_calls) ?? []) {
        const fn = asObject(asObject(call)?.function);
        if (fn)
          parts.push({
            type: 'tool_call',
            id: asString(asObject(call)?.id),
            name: asString(fn.name) ?? '',
            arguments: parseArguments(asString(fn.arguments) ?? ''),
          });
      }
    }
    const name = asString(message.name);
    result.push(name ? { role: role === 'developer' ? 'system' : role, parts, name } : { role: role === 'developer' ? 'system' : role, parts });
  }
  return result;
}

/**
 * What a tokenizer would see in the messages, as OpenAI's published accounting counts them (cookbook
 * "How to count tokens with tiktoken"): the role and name of each message too (a name costs one
 * token more than its text), content, tool-call names and arguments.
 */
export function messagesForEstimate(messages: unknown[]): EstimateInput {
  const texts: string[] = [];
  let names = 0;
  for (const item of messages) {
    const message = asObject(item);
    if (!message) continue;
    const role = asString(message.role);
    if (role) texts.push(role);
    const name = asString(message.name);
    if (name) {
      texts.push(name);
      names++;
    }
    const text = contentText(message.content);
    if (text) texts.push(text);
    for (const call of asArray(message.tool_calls) ?? []) {
      const fn = asObject(asObject(call)?.function);
      if (fn) texts.push(`${asString(fn.name) ?? ''}${asString(fn.arguments) ?? ''}`);
    }
  }
  return { texts, messageCount: messages.length, fixedTokens: names };
}

function contentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  const parts: MessagePart[] = [];
  for (const item of asArray(content) ?? []) {
    const part = asObject(item);
    if (part) parts.push(contentPart(part));
  }
  return parts;
}

function contentPart(part: JsonObject): MessagePart {
  switch (part.type) {
    case 'text':
    case 'input_text':
      return { type: 'text', content: asString(part.text) ?? '' };
    case 'image_url': {
      const url = asString(asObject(part.image_url)?.url) ?? '';
      // Inline images are not copied into spans: only their kind and media type.
      if (url.startsWith('data:')) return omittedBlobPart(dataUrlMediaType(url), 'image');
      return { type: 'uri', modality: 'image', uri: url };
    }
    case 'input_audio':
      return omittedBlobPart(`audio/${asString(asObject(part.input_audio)?.format) ?? 'unknown'}`, 'audio');
    case 'file': {
      // `{type: 'file', file: {file_id}}` or inline `{file_data, filename}` (a PDF as base64).
      const fileId = asString(asObject(part.file)?.file_id);
      return fileId ? filePart(fileId, undefined, 'document') : omittedBlobPart(undefined, 'document');
    }
    case 'refusal':
      return { type: 'text', content: asString(part.refusal) ?? '' };
    default:
      return { type: asString(part.type) ?? 'unknown' };
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  let text = '';
  for (const item of asArray(content) ?? []) {
    const part = asObject(item);
    const value = asString(part?.text) ?? asString(part?.refusal);
    if (value) text += value;
  }
  return text;
}
