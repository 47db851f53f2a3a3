/**
 * The GenAI semantic-conventions message schema (v1.41) used by the opt-in content attributes
 * `gen_ai.input.messages`, `gen_ai.output.messages` and `gen_ai.system_instructions`.
 */
export interface TextPart {
  type: 'text';
  content: string;
}

export interface ReasoningPart {
  type: 'reasoning';
  content: string;
}

export interface ToolCallRequestPart {
  type: 'tool_call';
  id?: string;
  name: string;
  /** The arguments as the model produced them (usually a JSON object). */
  arguments?: unknown;
}

export interface ToolCallResponsePart {
  type: 'tool_call_response';
  id?: string;
  response: unknown;
}

/** Inline binary data (images, audio); the content itself is not copied, only its kind. */
export interface BlobPart {
  type: 'blob';
  modality: string;
  mime_type?: string;
  content?: string;
}

export interface UriPart {
  type: 'uri';
  modality: string;
  mime_type?: string;
  uri: string;
}

/** Parts the schema has no dedicated type for keep the provider's own `type`. */
export interface GenericPart {
  type: string;
  [key: string]: unknown;
}

export type MessagePart =
  | TextPart
  | ReasoningPart
  | ToolCallRequestPart
  | ToolCallResponsePart
  | BlobPart
  | UriPart
  | GenericPart;

export type MessageRole = 'system' | 'user' | 'assistant' | 'tool' | (string & {});

export interface InputMessage {
  role: MessageRole;
  parts: MessagePart[];
  name?: string;
}

export interface OutputMessage {
  role: MessageRole;
  parts: MessagePart[];
  finish_reason: string;
}
