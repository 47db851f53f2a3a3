import type { InputMessage, MessagePart } from '../content/messages';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { filePart, omittedBlobPart, uriPart } from './media-parts';

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
      return { type: 'tool_call', id: asString(block.id), name: asString(block.name) ?? '', arguments: block.input };
    case 'server_tool_use':
      return serverToolCallPart(asString(block.id), asString(block.name) ?? '', block.input);
    case 'tool_result':
      return { type: 'tool_call_response', id: asString(block.tool_use_id), response: toolResultContent(block.content) };
    case 'image':
      return sourcePart(asObject(block.source), 'image');
    case 'document':
      return sourcePart(asObject(block.source), 'document');
    default: {
      const type = asString(block.type) ?? 'unknown';
      return isServerToolResult(type) ? serverToolResultPart(type, asString(block.tool_use_id)) : { type };
    }
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
      return filePart(asString(source.file_id) ?? '', mediaType, modality);
    default:
      return omittedBlobPart(mediaType, modality);
  }
}

/**
 * A tool Anthropic runs itself (web search, code execution, web fetch): semconv's `server_tool_call`,
 * its details typed by the tool's name.
 */
export function serverToolCallPart(id: string | undefined, name: string, input: unknown): MessagePart {
  return { type: 'server_tool_call', id, name, server_tool_call: { type: name, arguments: input } };
}

/** `web_search_tool_result`, `code_execution_tool_result`, ...: the outcome of a server tool call. */
export function isServerToolResult(type: string): boolean {
  return type.endsWith('_tool_result') && type !== 'tool_result';
}

/** A server tool's result as semconv's `server_tool_call_response`; its content is not copied. */
export function serverToolResultPart(type: string, toolUseId: string | undefined): MessagePart {
  return { type: 'server_tool_call_response', id: toolUseId, server_tool_call_response: { type } };
}
