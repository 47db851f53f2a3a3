import type { InputMessage, MessagePart } from '../content/messages';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { blobPart, uriPart } from './media-parts';

/** Anthropic `messages` to the semconv input-message schema. */
export function toAnthropicInputMessages(messages: unknown[]): InputMessage[] {
  const result: InputMessage[] = [];
  for (const item of messages) {
    const message = asObject(item);
    if (message) result.push({ role: asString(message.role) ?? 'user', parts: blockParts(message.content) });
  }
  return result;
}

/** `system`, a string or an array of text blocks, to system-instruction parts. */
export function toAnthropicSystemParts(system: unknown): MessagePart[] | undefined {
  if (system === undefined || system === null) return undefined;
  return blockParts(system);
}

function blockParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  const parts: MessagePart[] = [];
  for (const item of asArray(content) ?? []) {
    const block = asObject(item);
    if (block) parts.push(inputBlockPart(block));
  }
  return parts;
}

function inputBlockPart(block: JsonObject): MessagePart {
  switch (block.type) {
    case 'text':
      return { type: 'text', content: asString(block.text) ?? '' };
    case 'thinking':
      return { type: 'reasoning', content: asString(block.thinking) ?? '' };
    case 'tool_use':
    case 'server_tool_use':
      return { type: 'tool_call', id: asString(block.id), name: asString(block.name) ?? '', arguments: block.input };
    case 'tool_result':
      return { type: 'tool_call_response', id: asString(block.tool_use_id), response: toolResultContent(block.content) };
    case 'image':
      return sourcePart(asObject(block.source), 'image');
    case 'document':
      return sourcePart(asObject(block.source), 'file');
    default:
      return { type: asString(block.type) ?? 'unknown' };
  }
}

/** A tool result is a string or content blocks; its text is what the model reads. */
function toolResultContent(content: unknown): unknown {
  if (typeof content === 'string') return content;
  const blocks = asArray(content);
  if (!blocks) return content ?? '';
  let text = '';
  for (const item of blocks) text += asString(asObject(item)?.text) ?? '';
  return text;
}

function sourcePart(source: JsonObject | undefined, modality: string): MessagePart {
  const mediaType = asString(source?.media_type);
  switch (source?.type) {
    case 'url':
      return uriPart(asString(source.url) ?? '', mediaType, modality);
    case 'file':
      return uriPart(asString(source.file_id) ?? '', mediaType, modality);
    default:
      return blobPart(mediaType, modality);
  }
}
