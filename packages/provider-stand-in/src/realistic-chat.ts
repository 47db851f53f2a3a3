import { defaultChatAnswer, resolveToolCall, type ChatAnswer, type ResolvedToolCall } from './chat-answer';
import { parseChatRequest, type ChatRequest } from './chat-request';
import { chatUsage, promptTokens, textTokens, type ChatUsage } from './chat-usage';
import { DeterministicIds } from './deterministic-ids';
import { isReasoningModel, respondedModel } from './model-versions';
import type { RecordedRequest, ScriptedResponse, ScriptedRoute } from './types';

export interface RealisticChatOptions {
  /** What the assistant says: fixed, or chosen per request; defaultChatAnswer fills what is left out. */
  answer?: ChatAnswer | ((request: ChatRequest) => ChatAnswer | undefined);
  /** Pause between SSE events, milliseconds. A request header `x-stand-in-chunk-delay-ms` overrides it. */
  chunkDelayMs?: number;
}

/** Matches `/v1/chat/completions` and `/chat/completions` (a baseURL that already ends in /v1). */
export const CHAT_COMPLETIONS_PATH = /^\/(?:v1\/)?chat\/completions(?:\?|$)/;

const CHUNK_DELAY_HEADER = 'x-stand-in-chunk-delay-ms';

/** Everything one response needs, decided once so the JSON and the SSE form tell the same story. */
interface CompletionPlan {
  ids: DeterministicIds;
  id: string;
  created: number;
  model: string;
  systemFingerprint: string;
  content?: string;
  toolCall?: ResolvedToolCall & { id: string };
  finishReason: string;
  usage: ChatUsage;
}

function planCompletion(request: ChatRequest, seed: string, scripted: ChatAnswer | undefined): CompletionPlan {
  const answer: ChatAnswer = scripted?.content !== undefined || scripted?.toolCall !== undefined ? scripted : { ...defaultChatAnswer(request), ...scripted };
  const ids = new DeterministicIds(seed);
  const model = respondedModel(request.model);
  const resolved = resolveToolCall(request, answer);
  const toolCall = resolved && { ...resolved, id: ids.base62('call_', 24, 'tool-call') };
  const content = toolCall ? undefined : (answer.content ?? '');
  const completion = toolCall ? 8 + textTokens(toolCall.name + toolCall.arguments) : contentPieces(content ?? '').length;
  const reasoning = answer.reasoningTokens ?? (isReasoningModel(model) ? 64 * (2 + ids.integer(6, 'reasoning')) : 0);
  return {
    ids,
    id: ids.base62('chatcmpl-', 29, 'completion-id'),
    created: 1_760_000_000 + ids.integer(86_400, 'created'),
    model,
    systemFingerprint: new DeterministicIds(model).hex('fp_', 10, 'fingerprint'),
    content,
    toolCall,
    finishReason: answer.finishReason ?? (toolCall ? 'tool_calls' : 'stop'),
    usage: chatUsage(promptTokens(request), completion, answer.cachedTokens ?? 0, reasoning),
  };
}

/** A non-streamed chat completion, as the API sends it (pretty-printed JSON). */
export function realisticChatCompletion(body: string | object, answer?: ChatAnswer): Record<string, unknown> {
  const request = parseChatRequest(body);
  return completionJson(planCompletion(request, seedOf(body), answer));
}

function completionJson(plan: CompletionPlan): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: plan.content ?? null };
  if (plan.toolCall) {
    message.tool_calls = [
      {
        id: plan.toolCall.id,
        type: 'function',
        function: { name: plan.toolCall.name, arguments: plan.toolCall.arguments },
      },
    ];
  }
  message.refusal = null;
  message.annotations = [];
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: plan.usage,
    service_tier: 'default',
    system_fingerprint: plan.systemFingerprint,
  };
}

/**
 * A streamed chat completion as SSE events, one string per event: the role chunk, content (or tool
 * argument) deltas, the finish chunk, then — only when the request set stream_options.include_usage —
 * a usage chunk with `choices: []`, and `data: [DONE]`.
 */
export function realisticChatStream(body: string | object, answer?: ChatAnswer): string[] {
  const request = parseChatRequest(body);
  return streamEvents(planCompletion(request, seedOf(body), answer), request.includeUsage);
}

function streamEvents(plan: CompletionPlan, includeUsage: boolean): string[] {
  const events: string[] = [];
  const event = (choices: unknown[], usage: ChatUsage | null = null) => {
    const chunk: Record<string, unknown> = {
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: plan.systemFingerprint,
      choices,
    };
    if (includeUsage) chunk.usage = usage;
    // The API pads every chunk with random characters against length side channels; so do we.
    const purpose = `obfuscation-${events.length}`;
    chunk.obfuscation = plan.ids.base62('', 1 + plan.ids.integer(12, purpose), purpose);
    events.push(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  const delta = (value: Record<string, unknown>, finishReason: string | null = null) =>
    event([{ index: 0, delta: value, logprobs: null, finish_reason: finishReason }]);

  if (plan.toolCall) {
    const { id, name, arguments: args } = plan.toolCall;
    delta({
      role: 'assistant',
      content: null,
      tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }],
      refusal: null,
    });
    for (let start = 0; start < args.length; start += 4) {
      delta({ tool_calls: [{ index: 0, function: { arguments: args.slice(start, start + 4) } }] });
    }
  } else {
    delta({ role: 'assistant', content: '', refusal: null });
    for (const piece of contentPieces(plan.content ?? '')) delta({ content: piece });
  }
  delta({}, plan.finishReason);
  if (includeUsage) event([], plan.usage);
  events.push('data: [DONE]\n\n');
  return events;
}

/** The whole HTTP answer to a chat-completions request: JSON or SSE as the request asked. */
export function realisticChatResponse(request: RecordedRequest | string | object, options: RealisticChatOptions = {}): ScriptedResponse {
  const body = isRecordedRequest(request) ? request.body : request;
  let chat: ChatRequest;
  try {
    chat = parseChatRequest(body);
  } catch (error) {
    return {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: { message: `We could not parse the JSON body of your request. (${String(error)})`, type: 'invalid_request_error', param: null, code: null },
      }),
    };
  }
  const answer = typeof options.answer === 'function' ? options.answer(chat) : options.answer;
  const plan = planCompletion(chat, seedOf(body), answer);
  const headers: Record<string, string> = {
    'openai-version': '2020-10-01',
    'openai-processing-ms': String(150 + plan.ids.integer(500, 'processing-ms')),
    'x-request-id': plan.ids.hex('req_', 32, 'request-id'),
    'x-ratelimit-limit-requests': '10000',
    'x-ratelimit-remaining-requests': '9999',
    'x-ratelimit-limit-tokens': '10000000',
    'x-ratelimit-remaining-tokens': String(10_000_000 - plan.usage.prompt_tokens),
  };
  if (!chat.stream) {
    headers['content-type'] = 'application/json';
    return { status: 200, headers, body: `${JSON.stringify(completionJson(plan), null, 2)}\n` };
  }
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  const headerDelay = isRecordedRequest(request) ? Number(request.headers[CHUNK_DELAY_HEADER]) : NaN;
  return {
    status: 200,
    headers,
    chunks: streamEvents(plan, chat.includeUsage),
    chunkDelayMs: Number.isFinite(headerDelay) ? headerDelay : options.chunkDelayMs,
  };
}

/** A route answering POST /v1/chat/completions (and /chat/completions) realistically. */
export function realisticChatRoute(options: RealisticChatOptions & { path?: string | RegExp; times?: number } = {}): ScriptedRoute {
  return {
    method: 'POST',
    path: options.path ?? CHAT_COMPLETIONS_PATH,
    times: options.times,
    respond: (request) => realisticChatResponse(request, options),
  };
}

/** Token-sized pieces of a text (a word with its leading space, or a punctuation mark); they join back to the text. */
function contentPieces(text: string): string[] {
  return text.match(/\s*(?:[\p{L}\p{N}'’_-]+|[^\s\p{L}\p{N}'’_-])|\s+$/gu) ?? [];
}

function seedOf(body: string | object): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function isRecordedRequest(value: unknown): value is RecordedRequest {
  return (
    typeof value === 'object' && value !== null && typeof (value as RecordedRequest).body === 'string' && typeof (value as RecordedRequest).path === 'string'
  );
}
