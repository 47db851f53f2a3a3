import { diag } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import { fingerprintKey, type FingerprintKey, type FingerprintKeyOptions } from './fingerprint/fingerprint-key';
import type { PriceOverride, PriceTable } from './pricing/price-table';
import type { ProviderAdapter } from './providers/adapter';
import type { BeforeSendCheck } from './span/before-send';
import type { CallCompletionListener } from './span/call-listener';

/** An extra endpoint to trace, e.g. a local vLLM server, and the provider name to give it. */
export interface ProviderEndpoint {
  /** Base URL; every request under it is matched against the known wire protocols by path. */
  baseUrl: string;
  /** `gen_ai.provider.name`, lowercase snake_case (e.g. `vllm`). */
  name: string;
}

export interface LlmInstrumentationConfig extends InstrumentationConfig {
  /**
   * Record prompts and completions as `gen_ai.input.messages`, `gen_ai.output.messages` and
   * `gen_ai.system_instructions`. Default: OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT, else false.
   */
  captureContent?: boolean;
  /** Extra base URLs to trace and the provider names to give them. */
  providers?: ProviderEndpoint[];
  /**
   * Wire protocols of your own, tried before the built-in ones (the first whose path matches a POST
   * wins): a protocol we do not ship is one adapter, without a fork (DESIGN.md, "Adding a provider").
   * Name its host in `providers`, or its `looksLikeRequest` decides for hosts nobody named.
   */
  adapters?: ProviderAdapter[];
  /** Price overrides per model id, USD per 1M tokens; they win over the bundled table. */
  pricing?: Record<string, PriceOverride>;
  /** Replace the bundled price table entirely (its `version` goes on the span). */
  priceTable?: PriceTable;
  /** Largest request body parsed, bytes; larger ones are traced without request attributes. Default 4 MiB. */
  maxRequestBodyBytes?: number;
  /**
   * Largest non-streamed response body kept for parsing, bytes; default 4 MiB. A larger body is not
   * copied: only its first and last 64 KiB are examined for ids and usage, and the span says so.
   */
  maxResponseBodyBytes?: number;
  /**
   * Largest single streamed event kept for parsing, bytes; default 8 MiB. The Responses API's
   * `response.completed` event repeats the whole output and carries the usage, so it can be large.
   */
  maxStreamEventBytes?: number;
  /** Upper bound of captured or estimated text per call, characters; default 256 Ki. */
  maxContentLength?: number;
  /** Which hooks to install; both by default. */
  hooks?: { fetch?: boolean; undici?: boolean };
  /**
   * Add trace-context headers (the registered propagator's, W3C `traceparent` by default) to LLM
   * requests, so that a gateway or proxy (LiteLLM, an OpenTelemetry-instrumented server) joins the
   * trace. Only when the request carries none and no other instrumentation injects at the undici
   * layer (@opentelemetry/instrumentation-undici does). Default true.
   */
  propagateTraceContext?: boolean;
  /**
   * MCP over Streamable HTTP (README, "MCP"): JSON-RPC POSTs to any URL whose headers are an MCP
   * client's become MCP CLIENT spans, and their trace context goes into `params._meta` so the
   * server's spans join the trace. Both on by default.
   */
  mcp?: McpOptions;
  /** Estimate tokens with the model family's tokenizer when a stream reports no usage. Default true. */
  estimateMissingUsage?: boolean;
  /**
   * Also record estimated tokens in `gen_ai.client.token.usage` (semconv lets users enable offline
   * counting there). Default false: estimates go only to `llm_otel.client.token.usage.estimated`.
   */
  estimatedTokensInUsageMetric?: boolean;
  /**
   * The key request fingerprints are HMAC-SHA256s under (`llm_otel.request.fingerprint`, docs/request-fingerprint.md):
   * at least 32 bytes, its own. Without one, the fingerprint is a plain SHA-256, and the span says so: anyone
   * can then confirm a guessed short prompt against it.
   */
  fingerprint?: FingerprintKeyOptions;
  /**
   * Told of every attempt that returned usage, once, with the summary the metrics get, before its
   * span ends (`@llm-otel/budgets` accounts from here).
   */
  onCallCompleted?: CallCompletionListener;
  /**
   * Checks each recognised LLM request before it is sent and may refuse it with a synthetic HTTP
   * response (`@llm-otel/budgets` hard stops). With it set, the undici hook reads a request body
   * (up to `maxRequestBodyBytes`) before dispatching it.
   */
  beforeSend?: BeforeSendCheck;
}

export interface McpOptions {
  /** Recognise MCP POSTs and trace them. Default true. */
  enabled?: boolean;
  /**
   * Add the propagator's fields (`traceparent`, `tracestate`, `baggage`) to `params._meta` of the
   * JSON-RPC request body: the one change llm-otel makes to a request body, bounded by
   * `maxRequestBodyBytes` and fail-open. Default: LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT, else true.
   */
  propagateTraceContext?: boolean;
}

export interface ResolvedConfig {
  captureContent: boolean;
  providers: ProviderEndpoint[];
  adapters: readonly ProviderAdapter[];
  pricing: Record<string, PriceOverride> | undefined;
  priceTable: PriceTable | undefined;
  maxRequestBodyBytes: number;
  maxResponseBodyBytes: number;
  maxStreamEventBytes: number;
  maxContentLength: number;
  propagateTraceContext: boolean;
  hooks: { fetch: boolean; undici: boolean };
  mcp: { enabled: boolean; propagateTraceContext: boolean };
  estimateMissingUsage: boolean;
  estimatedTokensInUsageMetric: boolean;
  fingerprintKey: FingerprintKey | undefined;
  onCallCompleted: CallCompletionListener | undefined;
  beforeSend: BeforeSendCheck | undefined;
}

const MiB = 1024 * 1024;

export function resolveConfig(config: LlmInstrumentationConfig): ResolvedConfig {
  return {
    captureContent: config.captureContent ?? captureContentFromEnv(),
    providers: config.providers ?? [],
    adapters: checkedAdapters(config.adapters),
    pricing: config.pricing,
    priceTable: config.priceTable,
    maxRequestBodyBytes: config.maxRequestBodyBytes ?? 4 * MiB,
    maxResponseBodyBytes: config.maxResponseBodyBytes ?? 4 * MiB,
    maxStreamEventBytes: config.maxStreamEventBytes ?? 8 * MiB,
    maxContentLength: config.maxContentLength ?? 256 * 1024,
    propagateTraceContext: config.propagateTraceContext ?? true,
    hooks: { fetch: config.hooks?.fetch ?? true, undici: config.hooks?.undici ?? true },
    mcp: {
      enabled: config.mcp?.enabled ?? true,
      propagateTraceContext: config.mcp?.propagateTraceContext ?? envFlagOrWarn('LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT') ?? true,
    },
    estimateMissingUsage: config.estimateMissingUsage ?? true,
    estimatedTokensInUsageMetric: config.estimatedTokensInUsageMetric ?? false,
    fingerprintKey: config.fingerprint ? fingerprintKey(config.fingerprint) : undefined,
    onCallCompleted: config.onCallCompleted,
    beforeSend: config.beforeSend,
  };
}

const ADAPTER_FUNCTIONS = ['matchesPath', 'looksLikeRequest', 'parseRequest', 'createAccumulator', 'parseError'] as const;

/** Wrong options in code throw (an environment variable would warn): an adapter missing a part would fail every call it matched. */
function checkedAdapters(adapters: readonly ProviderAdapter[] | undefined): readonly ProviderAdapter[] {
  if (adapters === undefined) return [];
  if (!Array.isArray(adapters)) throw new TypeError('llm-otel: the adapters option must be an array of ProviderAdapter');
  adapters.forEach((adapter: Partial<ProviderAdapter> | undefined, index) => {
    if (typeof adapter?.protocol !== 'string' || adapter.protocol === '') throw new TypeError(`llm-otel: adapters[${index}] has no protocol name`);
    if (typeof adapter.vendor?.name !== 'string') throw new TypeError(`llm-otel: adapter '${adapter.protocol}' has no vendor.name`);
    for (const name of ADAPTER_FUNCTIONS) {
      if (typeof adapter[name] !== 'function') throw new TypeError(`llm-otel: adapter '${adapter.protocol}' has no ${name}() function`);
    }
  });
  return [...adapters];
}

/** Content capture as OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says; false when unset. */
export function captureContentFromEnv(): boolean {
  return envFlag('OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT') ?? false;
}

/** envFlag(), with a warning naming the variable when it is set to anything but true or false. */
function envFlagOrWarn(name: string): boolean | undefined {
  const value = envFlag(name);
  if (value === undefined && process.env[name]?.trim()) diag.warn(`llm-otel: ${name} must be true or false; using the default`);
  return value;
}

/** `true` is the only true value of an OTEL_* boolean (the specification); `1` no longer turns capture on. */
function envFlag(name: string): boolean | undefined {
  const value = process.env[name]?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
