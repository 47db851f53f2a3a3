import type { InputMessage, MessagePart } from '../content/messages';
import { protoField } from './gemini-path';
import { asArray, asObject, asString, type JsonObject } from './json-access';
import { omittedBlobPart, uriPart } from './media-parts';
import type { OutputParts } from './output-parts';

/** Gemini `contents` to the semconv input-message schema (`model` is the assistant). */
export function toGeminiInputMessages(contents: unknown): InputMessage[] {
  const result: InputMessage[] = [];
  for (const item of asArray(contents) ?? []) {
    const content = asObject(item);
    if (content) result.push({ role: semconvRole(asString(content.role)), parts: contentParts(content) });
  }
  return result;
}

/** `systemInstruction`, a Content (or, leniently, a string), to system-instruction parts. */
export function toGeminiSystemParts(instruction: unknown): MessagePart[] | undefined {
  if (typeof instruction === 'string') return [{ type: 'text', content: instruction }];
  const content = asObject(instruction);
  return content ? contentParts(content) : undefined;
}

function semconvRole(role: string | undefined): string {
  if (role === 'model') return 'assistant';
  if (role === 'function') return 'tool';
  return role ?? 'user';
}

function contentParts(content: JsonObject): MessagePart[] {
  const parts: MessagePart[] = [];
  for (const item of asArray(content.parts) ?? []) {
    const part = asObject(item);
    if (part) parts.push(inputPart(part));
  }
  return parts;
}

function inputPart(part: JsonObject): MessagePart {
  const text = asString(part.text);
  if (text !== undefined) return { type: part.thought === true ? 'reasoning' : 'text', content: text };
  const call = asObject(protoField(part, 'functionCall'));
  if (call) return { type: 'tool_call', id: asString(call.id), name: asString(call.name) ?? '', arguments: call.args };
  const result = asObject(protoField(part, 'functionResponse'));
  if (result) return { type: 'tool_call_response', id: asString(result.id), response: result.response };
  return mediaPart(part) ?? { type: otherPartType(part) };
}

/** Inline data or a file reference; undefined for any other part. */
function mediaPart(part: JsonObject): MessagePart | undefined {
  const inline = asObject(protoField(part, 'inlineData'));
  if (inline) return omittedBlobPart(asString(protoField(inline, 'mimeType')));
  const file = asObject(protoField(part, 'fileData'));
  if (file) return uriPart(asString(protoField(file, 'fileUri')) ?? '', asString(protoField(file, 'mimeType')));
  return undefined;
}

/** The kind of a part we keep no payload of (`executableCode`, `codeExecutionResult`, ...). */
function otherPartType(part: JsonObject): string {
  return Object.keys(part).find((key) => key !== 'thought' && key !== 'thoughtSignature' && key !== 'thought_signature') ?? 'unknown';
}

/** One part of a generated candidate, whole or streamed, into the candidate's output parts. */
export function addGeminiOutputPart(parts: OutputParts, part: JsonObject): void {
  const text = asString(part.text);
  if (text !== undefined) {
    parts.appendText(part.thought === true ? 'reasoning' : 'text', text);
    return;
  }
  const call = asObject(protoField(part, 'functionCall'));
  if (call) {
    parts.addToolCall(asString(call.id), asString(call.name) ?? '', call.args);
    return;
  }
  parts.addOther(mediaPart(part) ?? { type: otherPartType(part) });
}
