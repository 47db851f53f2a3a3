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

/**
 * Inline binary data whose bytes we do not copy (images, audio, PDFs), only its kind. Semconv's `blob`
 * part requires the bytes (`content`), so ours is a generic part of its own type.
 */
export interface OmittedBlobPart {
  type: 'omitted_blob';
  modality: string;
  mime_type?: string;
}

/** A file uploaded to the provider, by id (semconv `file` part). */
export interface FilePart {
  type: 'file';
  modality: string;
  mime_type?: string;
  file_id: string;
}

/** A tool the provider runs itself (semconv `server_tool_call`), e.g. Anthropic's web search. */
export interface ServerToolCallPart {
  type: 'server_tool_call';
  id?: string;
  name: string;
  server_tool_call: { type: string; [key: string]: unknown };
}

/** The outcome of a server tool call (semconv `server_tool_call_response`). */
export interface ServerToolCallResponsePart {
  type: 'server_tool_call_response';
  id?: string;
  server_tool_call_response: { type: string; [key: string]: unknown };
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
  | OmittedBlobPart
  | FilePart
  | ServerToolCallPart
  | ServerToolCallResponsePart
  | UriPart
  | GenericPart;

/** One tool the request offers the model (semconv `gen_ai.tool.definitions` schema). */
export interface ToolDefinition {
  /** `function` for tools the application runs; the provider's own type for built-in tools. */
  type: string;
  name: string;
  description?: string;
  /** JSON schema of the arguments, as sent. */
  parameters?: unknown;
}

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
