import type { InputMessage, MessagePart } from '../content/messages';
import { parseArguments } from '../content/text-budget';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { dataUrlMediaType, filePart, omittedBlobPart, uriPart } from './media-parts';

/** Responses `input` (a string or a list of items) to the semconv input-message schema. */
export function toResponsesInputMessages(input: unknown): InputMessage[] {
  if (typeof input === 'string') return [{ role: 'user', parts: [{ type: 'text', content: input }] }];
  const result: InputMessage[] = [];
  for (const entry of asArray(input) ?? []) {
    const item = asObject(entry);
    if (item) result.push(inputItemMessage(item));
  }
  return result;
}

function inputItemMessage(item: JsonObject): InputMessage {
  switch (item.type) {
    case undefined:
    case 'message': {
      const role = asString(item.role) ?? 'user';
      return { role: role === 'developer' ? 'system' : role, parts: contentParts(item.content) };
    }
    case 'function_call':
      return {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: asString(item.call_id), name: asString(item.name) ?? '', arguments: parseArguments(asString(item.arguments) ?? '') }],
      };
    case 'custom_tool_call':
      return {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: asString(item.call_id), name: asString(item.name) ?? '', arguments: asString(item.input) ?? '' }],
      };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { role: 'tool', parts: [{ type: 'tool_call_response', id: asString(item.call_id), response: outputText(item.output) }] };
    case 'reasoning':
      return { role: 'assistant', parts: summaryTexts(item).map((content): MessagePart => ({ type: 'reasoning', content })) };
    default:
      // Built-in tool calls and item references: their kind, not their payload.
      return { role: 'assistant', parts: [{ type: asString(item.type) ?? 'unknown' }] };
  }
}

function contentParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  const parts: MessagePart[] = [];
  for (const entry of asArray(content) ?? []) {
    const part = asObject(entry);
    if (part) parts.push(contentPart(part));
  }
  return parts;
}

function contentPart(part: JsonObject): MessagePart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', content: asString(part.text) ?? '' };
    case 'refusal':
      return { type: 'text', content: asString(part.refusal) ?? '' };
    case 'input_image': {
      const url = asString(part.image_url);
      if (url?.startsWith('data:')) return omittedBlobPart(dataUrlMediaType(url), 'image');
      return url ? uriPart(url, undefined, 'image') : filePart(asString(part.file_id) ?? '', undefined, 'image');
    }
    case 'input_file': {
      const url = asString(part.file_url);
      if (url) return uriPart(url, undefined, 'document');
      const fileId = asString(part.file_id);
      return fileId ? filePart(fileId, undefined, 'document') : omittedBlobPart(undefined, 'document');
    }
    case 'input_audio':
      return omittedBlobPart(`audio/${asString(asObject(part.input_audio)?.format) ?? 'unknown'}`, 'audio');
    default:
      return { type: asString(part.type) ?? 'unknown' };
  }
}

/** A function-call output is a string, or content parts whose text the model reads. */
function outputText(output: unknown): unknown {
  if (typeof output === 'string') return output;
  const parts = asArray(output);
  if (!parts) return output ?? '';
  return parts.map((part) => asString(asObject(part)?.text) ?? '').join('');
}

/** The visible reasoning of a reasoning item: its summaries, or its raw text (open-weight models). */
export function summaryTexts(item: JsonObject): string[] {
  const texts: string[] = [];
  for (const list of [item.summary, item.content]) {
    for (const entry of asArray(list) ?? []) {
      const text = asString(asObject(entry)?.text);
      if (text) texts.push(text);
    }
  }
  return texts;
}
