import { ROOT_CONTEXT, type AttributeValue, type Context } from '@opentelemetry/api';
import { setGenAiContext, type CallSummary, type CompletedCallSpan } from '@llm-otel/instrumentation';

/** A finished call's summary as LlmCall makes it (the engine reads attributes, usage, cost, context). */
export function summary(cost: number | undefined, options: { model?: string; provider?: string; estimated?: boolean; context?: Context } = {}): CallSummary {
  return {
    attributes: {
      'gen_ai.provider.name': options.provider ?? 'openai',
      'gen_ai.request.model': options.model ?? 'gpt-4o-mini',
      'gen_ai.operation.name': 'chat',
    },
    durationSeconds: 0.1,
    usage: { inputTokens: 10, outputTokens: 10 },
    usageEstimated: options.estimated ?? false,
    cost,
    estimatesInTokenUsage: false,
    context: options.context,
  };
}

export function withUser(userId: string, conversationId?: string): Context {
  return setGenAiContext(ROOT_CONTEXT, { conversationId, userId } as Parameters<typeof setGenAiContext>[1]);
}

/** Records the events the engine adds to a call's span. */
export class EventRecorder implements CompletedCallSpan {
  readonly events: Array<{ name: string; attributes?: Record<string, AttributeValue> }> = [];
  addEvent(name: string, attributes?: Record<string, AttributeValue>): void {
    this.events.push({ name, attributes });
  }
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public ms: number) {}
  readonly now = () => this.ms;
}
