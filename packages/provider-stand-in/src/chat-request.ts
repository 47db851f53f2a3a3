/** The parts of an OpenAI chat-completions request body the stand-in reads. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  tools: ChatTool[];
  toolChoice: unknown;
}

export interface ChatMessage {
  role: string;
  /** Text parts joined; '' when the message has none. */
  text: string;
  toolCallArguments: string[];
}

export interface ChatTool {
  name: string;
  description?: string;
  parameters?: JsonSchema;
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
}

type Json = Record<string, unknown>;

/** Reads a request body (JSON text or already parsed); throws a TypeError when it is not a chat request. */
export function parseChatRequest(body: string | object): ChatRequest {
  const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  if (!isObject(parsed) || typeof parsed.model !== 'string' || !Array.isArray(parsed.messages)) {
    throw new TypeError('a chat-completions request needs `model` and `messages`');
  }
  const streamOptions = isObject(parsed.stream_options) ? parsed.stream_options : {};
  return {
    model: parsed.model,
    messages: parsed.messages.filter(isObject).map(toMessage),
    stream: parsed.stream === true,
    includeUsage: streamOptions.include_usage === true,
    tools: (Array.isArray(parsed.tools) ? parsed.tools : []).flatMap(toTool),
    toolChoice: parsed.tool_choice,
  };
}

function toMessage(message: Json): ChatMessage {
  const toolCalls = Array.isArray(message.tool_calls) ? message.tool_calls.filter(isObject) : [];
  return {
    role: typeof message.role === 'string' ? message.role : 'user',
    text: contentText(message.content),
    toolCallArguments: toolCalls.map((call) => (isObject(call.function) && typeof call.function.arguments === 'string' ? call.function.arguments : '')),
  };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .filter(isObject)
    .map((part) => (typeof part.text === 'string' ? part.text : ''))
    .join('\n');
}

function toTool(tool: unknown): ChatTool[] {
  if (!isObject(tool) || !isObject(tool.function) || typeof tool.function.name !== 'string') return [];
  const fn = tool.function;
  return [
    {
      name: fn.name as string,
      description: typeof fn.description === 'string' ? fn.description : undefined,
      parameters: isObject(fn.parameters) ? (fn.parameters as JsonSchema) : undefined,
    },
  ];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
