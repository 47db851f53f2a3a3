import type { Context, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { semconv } from '@llm-otel/instrumentation';

const OUR_SCOPE = '@llm-otel/instrumentation';
const USAGE_PREFIX = 'gen_ai.usage.';
const SUPERSEDED_PREFIX = 'llm_otel.superseded.';
// Span ids whose usage our HTTP-attempt spans already count; bounded, oldest forgotten first.
const MAX_TRACKED = 10_000;

/**
 * Keeps token usage from being counted twice when SDKs trace themselves. The Anthropic SDK (1.x)
 * and the Vercel AI SDK's telemetry put `gen_ai.usage.*` on their own call spans, which are parents
 * of llm-otel's HTTP-attempt spans: a backend summing `gen_ai.usage.input_tokens` then counts every
 * token twice (dd-trace-js #8936 measured a 2.2× over-count). For an ancestor of one of our spans,
 * the usage attributes are renamed to `llm_otel.superseded.gen_ai.usage.*`: nothing is lost, and
 * each token is counted once, on the attempt that consumed it.
 */
export class UsageDeduplicatingSpanProcessor implements SpanProcessor {
  private readonly covered = new Set<string>();

  constructor(private readonly downstream: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    if (isLlmAttempt(span)) this.cover(span.parentSpanContext);
    this.downstream.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    // Our agent, workflow and tool spans are covered like anyone's: they pass the coverage of the
    // attempts inside them up to a framework span around them.
    if (isLlmAttempt(span) || !this.covered.delete(span.spanContext().spanId)) {
      this.downstream.onEnd(span);
      return;
    }
    // Its ancestors aggregate the same calls (e.g. ai.generateText over ai.generateText.doGenerate).
    this.cover(span.parentSpanContext);
    this.downstream.onEnd(hasUsage(span) ? withUsageSuperseded(span) : span);
  }

  forceFlush(): Promise<void> {
    return this.downstream.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.downstream.shutdown();
  }

  private cover(parent: SpanContext | undefined): void {
    if (!parent || parent.isRemote) return;
    if (this.covered.size >= MAX_TRACKED) this.covered.delete(this.covered.values().next().value as string);
    this.covered.add(parent.spanId);
  }
}

/**
 * A span of one LLM call attempt: ours, and not one of the agent, workflow or tool spans our
 * agent API makes (issue 12), which consume no tokens themselves.
 */
function isLlmAttempt(span: ReadableSpan): boolean {
  if (span.instrumentationScope.name !== OUR_SCOPE) return false;
  // The hooks' MCP spans (initialize, tools/list, …) are ours too and consume no tokens.
  if (span.attributes[semconv.ATTR_MCP_METHOD_NAME] !== undefined) return false;
  return !semconv.GEN_AI_AGENT_OPERATIONS.has(String(span.attributes[semconv.ATTR_GEN_AI_OPERATION_NAME]));
}

function hasUsage(span: ReadableSpan): boolean {
  for (const key in span.attributes) if (key.startsWith(USAGE_PREFIX)) return true;
  return false;
}

/** A view of the span with its usage attributes renamed; the span itself is not modified. */
function withUsageSuperseded(span: ReadableSpan): ReadableSpan {
  const attributes: ReadableSpan['attributes'] = {};
  for (const [key, value] of Object.entries(span.attributes)) {
    attributes[key.startsWith(USAGE_PREFIX) ? SUPERSEDED_PREFIX + key : key] = value;
  }
  return new Proxy(span, {
    get: (target, property, receiver) => (property === 'attributes' ? attributes : bound(Reflect.get(target, property, receiver), target)),
  });
}

function bound(value: unknown, target: ReadableSpan): unknown {
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
