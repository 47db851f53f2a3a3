import type { ChatRequest, ChatTool, JsonSchema } from './chat-request';

/** What the stand-in's assistant says. Everything is optional; defaultChatAnswer fills the gaps. */
export interface ChatAnswer {
  /** The assistant's text. */
  content?: string;
  /**
   * Call a tool instead of answering. Honoured only when the request offers tools: the named one, or the
   * first offered when no name is given. Arguments default to values that fit the tool's JSON schema.
   */
  toolCall?: { name?: string; arguments?: Record<string, unknown> | string };
  /** Default `stop`, or `tool_calls` for a tool call. */
  finishReason?: string;
  /** Reported in prompt_tokens_details.cached_tokens; default 0. */
  cachedTokens?: number;
  /** Reported in completion_tokens_details.reasoning_tokens; default 0, or a few hundred for reasoning models. */
  reasoningTokens?: number;
}

/** A tool call the stand-in will actually make: the tool exists in the request. */
export interface ResolvedToolCall {
  name: string;
  arguments: string;
}

/**
 * How the realistic-chat scenario behaves, like a support assistant: when the request offers tools and
 * no tool has answered since the user's last message, it calls a tool; after a tool result it answers
 * from that result; otherwise it answers the question.
 */
export function defaultChatAnswer(request: ChatRequest): ChatAnswer {
  const lastUser = request.messages.map((message) => message.role).lastIndexOf('user');
  const toolResults = request.messages.slice(lastUser + 1).filter((message) => message.role === 'tool');
  const mayCallTool = request.tools.length > 0 && request.toolChoice !== 'none';
  if (mayCallTool && toolResults.length === 0) return { toolCall: {} };
  if (toolResults.length > 0) {
    return {
      content: `I checked that for you: ${summarise(toolResults.map((message) => message.text).join('; '))}. ` + 'Is there anything else I can help you with?',
    };
  }
  const question = (request.messages[lastUser]?.text ?? '').replace(/\s+/g, ' ').trim();
  const topic = question.length > 80 ? `${question.slice(0, 77)}...` : question;
  return {
    content:
      `Thanks for your message. Here is a short answer about "${topic || 'your request'}": ` +
      'everything looks in order on our side, and the details are in your account. ' +
      'Let me know if you would like me to look into anything else.',
  };
}

/** The tool call an answer asks for, if the request offers a tool that fits. */
export function resolveToolCall(request: ChatRequest, answer: ChatAnswer): ResolvedToolCall | undefined {
  if (!answer.toolCall || request.tools.length === 0) return undefined;
  const wanted = answer.toolCall.name ?? forcedToolName(request.toolChoice);
  const tool = wanted ? request.tools.find((candidate) => candidate.name === wanted) : request.tools[0];
  if (!tool) return undefined;
  const args = answer.toolCall.arguments ?? argumentsFor(tool, lastUserText(request));
  return { name: tool.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

function forcedToolName(toolChoice: unknown): string | undefined {
  if (typeof toolChoice !== 'object' || toolChoice === null) return undefined;
  const fn = (toolChoice as { function?: { name?: unknown } }).function;
  return typeof fn?.name === 'string' ? fn.name : undefined;
}

function lastUserText(request: ChatRequest): string {
  return [...request.messages].reverse().find((message) => message.role === 'user')?.text ?? '';
}

/** Schema-shaped arguments; strings prefer an identifier from the user's words (e.g. an order number). */
function argumentsFor(tool: ChatTool, userText: string): Record<string, unknown> {
  const properties = tool.parameters?.properties ?? {};
  const names = tool.parameters?.required ?? Object.keys(properties);
  const identifier = userText.match(/\b[A-Za-z]{0,6}[-#]?\d{3,}\b/)?.[0];
  const args: Record<string, unknown> = {};
  for (const name of names) args[name] = exampleValue(properties[name] ?? {}, identifier ?? userText.split(/\s+/)[0] ?? '');
  return args;
}

function exampleValue(schema: JsonSchema, text: string): unknown {
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return text || 'example';
  }
}

/** A tool result in a sentence: `key value` pairs of a JSON object, or the text itself. */
function summarise(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.entries(value)
        .map(([key, item]) => `${key.replace(/_/g, ' ')} ${typeof item === 'string' ? item : JSON.stringify(item)}`)
        .join(', ');
    }
  } catch {
    // not JSON: the text is the summary
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
