import type { Context, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { semconv } from '@llm-otel/instrumentation';

const OUR_SCOPE = '@llm-otel/instrumentation';
const USAGE_PREFIX = 'gen_ai.usage.';
const OPERATION_NAME = 'gen_ai.operation.name';
/**
 * The operations of a model call (semconv gen_ai.operation.name). An ancestor of our attempt span that
 * names one of them is a framework's record of the same call (LangSmith's OTel mode writes
 * `gen_ai.operation.name=chat` on the application's active span): a backend counting LLM calls by
 * this attribute would count the call twice. Agent, workflow and tool operations are not calls; they stay.
 */
const MODEL_CALL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);
const SUPERSEDED_PREFIX = 'llm_otel.superseded.';
// Span ids whose usage our HTTP-attempt spans already count; bounded, oldest forgotten first.
const MAX_TRACKED = 10_000;

/**
 * Keeps token usage from being counted twice when SDKs trace themselves. The Anthropic SDK (1.x)
 * and the Vercel AI SDK's telemetry put `gen_ai.usage.*` on their own call spans, which are parents
 * of llm-otel's HTTP-attempt spans: a backend summing `gen_ai.usage.input_tokens` then counts every
 * token twice (dd-trace-js #8936 measured a 2.2× over-count). For an ancestor of one of our spans,
 * the usage attributes are renamed to `llm_otel.superseded.gen_ai.usage.*`: nothing is lost, and
 * each token is counted once, on the attempt that consumed it. A model-call `gen_ai.operation.name` on
 * such an ancestor is renamed the same way, so that each call is counted once, as our attempt span.
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
    this.downstream.onEnd(hasUsage(span) || claimsModelCall(span) ? withUsageSuperseded(span) : span);
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

function claimsModelCall(span: ReadableSpan): boolean {
  const operation = span.attributes[OPERATION_NAME];
  return typeof operation === 'string' && MODEL_CALL_OPERATIONS.has(operation);
}

/**
 * A view of the span with its usage attributes, and a model-call operation name, renamed; the span itself
 * is not modified.
 */
function withUsageSuperseded(span: ReadableSpan): ReadableSpan {
  const attributes: ReadableSpan['attributes'] = {};
  const supersedeOperation = claimsModelCall(span);
  for (const [key, value] of Object.entries(span.attributes)) {
    const superseded = key.startsWith(USAGE_PREFIX) || (supersedeOperation && key === OPERATION_NAME);
    attributes[superseded ? SUPERSEDED_PREFIX + key : key] = value;
  }
  return new Proxy(span, {
    get: (target, property, receiver) => (property === 'attributes' ? attributes : bound(Reflect.get(target, property, receiver), target)),
  });
}

function bound(value: unknown, target: ReadableSpan): unknown {
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
