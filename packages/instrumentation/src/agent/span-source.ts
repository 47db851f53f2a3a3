import { trace, type Tracer } from '@opentelemetry/api';
import { captureContentFromEnv } from '../config';
import { SEMCONV_SCHEMA_URL } from '../semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../version';

/** What agent, workflow and tool spans take from the instrumentation: its tracer and content settings. */
export interface AgentSpanSource {
  readonly tracer: Tracer;
  readonly captureContent: boolean;
  /** Upper bound of captured tool arguments and results, characters. */
  readonly maxContentLength: number;
}

let current: AgentSpanSource | undefined;

/**
 * The enabled LlmInstrumentation hands its tracer and settings here, so that agent and tool spans
 * come from the same tracer (same scope: the span processors treat them as ours) and obey the same
 * `captureContent` as its LLM spans. The last one enabled wins; disabling it falls back to the
 * defaults below.
 */
export function useAgentSpanSource(source: AgentSpanSource): void {
  current = source;
}

export function releaseAgentSpanSource(source: AgentSpanSource): void {
  if (current === source) current = undefined;
}

const DEFAULT_MAX_CONTENT_LENGTH = 256 * 1024;
let fallbackTracer: Tracer | undefined;

/**
 * Without an enabled instrumentation: the global provider's tracer of our scope (a proxy until a
 * provider is registered) and content capture as OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says.
 */
export function agentSpanSource(): AgentSpanSource {
  if (current) return current;
  fallbackTracer ??= trace.getTracerProvider().getTracer(PACKAGE_NAME, PACKAGE_VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
  return {
    tracer: fallbackTracer,
    captureContent: captureContentFromEnv(),
    maxContentLength: DEFAULT_MAX_CONTENT_LENGTH,
  };
}
