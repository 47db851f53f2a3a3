import type { InputMessage, MessagePart } from '../content/messages';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { omittedBlobPart } from './media-parts';

/** Ollama `/api/chat` messages to the semconv input-message schema. */
export function toOllamaChatMessages(messages: unknown[]): InputMessage[] {
  const result: InputMessage[] = [];
  for (const item of messages) {
    const message = asObject(item);
    if (!message) continue;
    const role = asString(message.role) ?? 'user';
    if (role === 'tool') {
      result.push({ role, parts: [{ type: 'tool_call_response', id: asString(message.tool_call_id), response: asString(message.content) ?? '' }] });
      continue;
    }
    const parts: MessagePart[] = [];
    const thinking = asString(message.thinking);
    if (thinking) parts.push({ type: 'reasoning', content: thinking });
    const content = asString(message.content);
    if (content) parts.push({ type: 'text', content });
    parts.push(...imageParts(message));
    for (const call of asArray(message.tool_calls) ?? []) {
      const fn = asObject(asObject(call)?.function);
      if (fn) parts.push({ type: 'tool_call', id: asString(asObject(call)?.id), name: asString(fn.name) ?? '', arguments: fn.arguments });
    }
    result.push({ role, parts });
  }
  return result;
}

/** Ollama `/api/generate`: one prompt, with its images. */
export function toOllamaPromptMessages(body: JsonObject): InputMessage[] {
  const prompt = asString(body.prompt);
  const parts: MessagePart[] = prompt ? [{ type: 'text', content: prompt }] : [];
  parts.push(...imageParts(body));
  return parts.length > 0 ? [{ role: 'user', parts }] : [];
}

/** Images are base64 strings without a media type: only their count shows, as omitted image blobs. */
function imageParts(holder: JsonObject): MessagePart[] {
  return (asArray(holder.images) ?? []).map(() => omittedBlobPart(undefined, 'image'));
}
