import type { Attributes, Context } from '@opentelemetry/api';
import { getGenAiContext } from '../context/gen-ai-context';
import type { LlmRequest, ParsedRequest } from '../providers/adapter';
import type { EndpointMatch } from '../providers/registry';
import * as semconv from '../semconv';
import type { HookName } from './llm-call';

/**
 * The attributes every metric point of a call carries from its start (operation, provider, model,
 * server); the span's start attributes begin with them.
 */
export function baseAttributes(match: EndpointMatch, request: LlmRequest, parsed: ParsedRequest | undefined): Attributes {
  const attributes: Attributes = {
    [semconv.ATTR_GEN_AI_OPERATION_NAME]: parsed?.operation ?? 'chat',
    [semconv.ATTR_GEN_AI_PROVIDER_NAME]: match.providerName,
    [semconv.ATTR_SERVER_ADDRESS]: request.url.hostname,
    [semconv.ATTR_SERVER_PORT]: serverPort(request.url),
  };
  if (parsed?.model) attributes[semconv.ATTR_GEN_AI_REQUEST_MODEL] = parsed.model;
  return attributes;
}

export interface StartFacts {
  match: EndpointMatch;
  request: LlmRequest;
  parsed: ParsedRequest | undefined;
  parseError: string | undefined;
  hook: HookName;
  parent: Context;
  captureContent: boolean;
}

/** The span's attributes at its start, built once: the base ones, the request's, and ours. */
export function startAttributes(base: Attributes, facts: StartFacts): Attributes {
  const { match, request, parsed } = facts;
  // Object.assign rather than spreads: object spread is several times slower on Node 20, and this
  // runs on every call.
  const attributes: Attributes = Object.assign({}, base, parsed?.attributes);
  attributes[semconv.ATTR_LLM_OTEL_PROTOCOL] = match.adapter.protocol;
  attributes[semconv.ATTR_LLM_OTEL_HOOK] = facts.hook;
  if (match.compatibleServer) attributes[semconv.ATTR_LLM_OTEL_PROVIDER_COMPATIBLE] = true;
  const resendCount = Number(request.header('x-stainless-retry-count'));
  if (resendCount > 0) attributes[semconv.ATTR_HTTP_REQUEST_RESEND_COUNT] = resendCount;
  addContextAttributes(attributes, facts.parent);
  if (facts.parseError) attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = facts.parseError;
  if (facts.captureContent && parsed) addInputContent(attributes, parsed);
  return attributes;
}

function addInputContent(attributes: Attributes, parsed: ParsedRequest): void {
  const content = parsed.content?.();
  if (content?.inputMessages) attributes[semconv.ATTR_GEN_AI_INPUT_MESSAGES] = JSON.stringify(content.inputMessages);
  if (content?.systemInstructions) attributes[semconv.ATTR_GEN_AI_SYSTEM_INSTRUCTIONS] = JSON.stringify(content.systemInstructions);
  // Opt-in with the rest of the content: descriptions and schemas can be long and say what the app does.
  if (content?.toolDefinitions) attributes[semconv.ATTR_GEN_AI_TOOL_DEFINITIONS] = JSON.stringify(content.toolDefinitions);
}

function addContextAttributes(attributes: Attributes, parent: Context): void {
  const genAi = getGenAiContext(parent);
  if (!genAi) return;
  if (genAi.conversationId !== undefined) attributes[semconv.ATTR_GEN_AI_CONVERSATION_ID] = genAi.conversationId;
  if (genAi.agentId !== undefined) attributes[semconv.ATTR_GEN_AI_AGENT_ID] = genAi.agentId;
  if (genAi.agentName !== undefined) attributes[semconv.ATTR_GEN_AI_AGENT_NAME] = genAi.agentName;
  // Raw here, on the span only: the masking stage of the export pipeline pseudonymises them before any
  // exporter, spool or log sees the span (metrics never get them: baseAttributes() leaves them out).
  if (genAi.userId !== undefined) attributes[semconv.ATTR_USER_ID] = genAi.userId;
  if (genAi.sessionId !== undefined) attributes[semconv.ATTR_SESSION_ID] = genAi.sessionId;
}

function serverPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}
