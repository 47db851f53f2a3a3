import { context, createContextKey, type Context } from '@opentelemetry/api';

/** Application-level GenAI attributes that the HTTP layer cannot see: who is talking, in which conversation. */
export interface GenAiContextAttributes {
  conversationId?: string;
  agentId?: string;
  agentName?: string;
  /**
   * Who asked (semconv `user.id`), e.g. your customer or account id. Never exported raw: the export
   * pipeline's masking step turns it into a pseudonym (`<USER:keyId:hex>`) under the pseudonym key, or
   * `<USER>` without one (README, "Who asked").
   */
  userId?: string;
  /** The user's session (semconv `session.id`), pseudonymised like `userId` (`<SESSION:keyId:hex>`). */
  sessionId?: string;
}

const GEN_AI_CONTEXT_KEY = createContextKey('llm-otel gen_ai context attributes');

/** A context carrying conversation and agent attributes for every LLM call made inside it. */
export function setGenAiContext(parent: Context, attributes: GenAiContextAttributes): Context {
  const current = getGenAiContext(parent);
  return parent.setValue(GEN_AI_CONTEXT_KEY, { ...current, ...attributes });
}

/**
 * Runs `fn` with conversation and agent attributes set on every LLM call span created inside it,
 * without a span of its own: the span-less part of the agent API (`invokeAgent` sets the same context
 * and makes the `invoke_agent` span around it).
 */
export function withGenAiContext<T>(attributes: GenAiContextAttributes, fn: () => T): T {
  return context.with(setGenAiContext(context.active(), attributes), fn);
}

export function getGenAiContext(ctx: Context): GenAiContextAttributes | undefined {
  return ctx.getValue(GEN_AI_CONTEXT_KEY) as GenAiContextAttributes | undefined;
}
