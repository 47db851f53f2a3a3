/**
 * Every attribute and metric name this package writes, in one place.
 *
 * We target GenAI semantic conventions v1.41.0 on purpose: it is the last release that carried the
 * GenAI names in the main semantic-conventions repository. The names are copied here rather than
 * imported because `@opentelemetry/semantic-conventions` marks them incubating (and deprecated since
 * 1.42, when they moved to their own repository). The names of that repository that differ are below
 * too, emitted instead with OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (span/
 * semconv-stability.ts); CHANGELOG.md lists every rename.
 */
export const SEMCONV_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.41.0';

export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';

export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_REQUEST_TEMPERATURE = 'gen_ai.request.temperature';
export const ATTR_GEN_AI_REQUEST_TOP_P = 'gen_ai.request.top_p';
export const ATTR_GEN_AI_REQUEST_TOP_K = 'gen_ai.request.top_k';
export const ATTR_GEN_AI_REQUEST_MAX_TOKENS = 'gen_ai.request.max_tokens';
export const ATTR_GEN_AI_REQUEST_SEED = 'gen_ai.request.seed';
export const ATTR_GEN_AI_REQUEST_STOP_SEQUENCES = 'gen_ai.request.stop_sequences';
export const ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY = 'gen_ai.request.frequency_penalty';
export const ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY = 'gen_ai.request.presence_penalty';
export const ATTR_GEN_AI_REQUEST_CHOICE_COUNT = 'gen_ai.request.choice.count';
export const ATTR_GEN_AI_REQUEST_STREAM = 'gen_ai.request.stream';
export const ATTR_GEN_AI_REQUEST_ENCODING_FORMATS = 'gen_ai.request.encoding_formats';
export const ATTR_GEN_AI_OUTPUT_TYPE = 'gen_ai.output.type';
/**
 * Request attributes semconv types as int. `top_k` was a double in v1.41 and is an int in the GenAI
 * repository (and for every provider); a fractional value is truncated so the type never flips.
 */
export const INTEGER_REQUEST_ATTRIBUTES: ReadonlySet<string> = new Set([
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_CHOICE_COUNT,
]);

export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';

export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';
/**
 * USD. No semconv attribute exists; this is the de-facto name OpenLIT emits and Langfuse reads. Open
 * proposal semantic-conventions-genai#443 would make `gen_ai.usage.cost` a namespace
 * (`.amount`, `.currency`): we keep this name until that merges and then move, never emitting both
 * (DESIGN.md, "Cost attribute").
 */
export const ATTR_GEN_AI_USAGE_COST = 'gen_ai.usage.cost';

// --- names of the GenAI conventions repository (semantic-conventions-genai), emitted instead of or
// in addition to the v1.41 ones with OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental ------

/** The opt-in value of OTEL_SEMCONV_STABILITY_OPT_IN for the newest GenAI names. */
export const SEMCONV_OPT_IN_GEN_AI_LATEST = 'gen_ai_latest_experimental';
/** Replaces gen_ai.usage.cache_creation.input_tokens (semantic-conventions-genai#440). */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
/** `gen_ai.usage.{modality}.input_tokens` / `.output_tokens`: what the provider reported per modality. */
export function attrGenAiUsageModalityTokens(modality: 'text' | 'image' | 'audio' | 'video', direction: 'input' | 'output'): string {
  return `gen_ai.usage.${modality}.${direction}_tokens`;
}

/** The tool definitions the request offered the model (opt-in, with content capture). */
export const ATTR_GEN_AI_TOOL_DEFINITIONS = 'gen_ai.tool.definitions';

// --- openai.* (semconv's OpenAI-specific attributes, v1.41) -----------------------------------
/** `chat_completions`, `responses`, `completions` or `embeddings`: which OpenAI API was called. */
export const ATTR_OPENAI_API_TYPE = 'openai.api.type';
export const ATTR_OPENAI_RESPONSE_SERVICE_TIER = 'openai.response.service_tier';
export const ATTR_OPENAI_RESPONSE_SYSTEM_FINGERPRINT = 'openai.response.system_fingerprint';

export const ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT = 'gen_ai.embeddings.dimension.count';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';

/** Opt-in content capture: JSON strings in the semconv message schema. */
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';

export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const ATTR_HTTP_REQUEST_RESEND_COUNT = 'http.request.resend_count';

/** Well-known values of gen_ai.operation.name. */
export type GenAiOperationName = 'chat' | 'text_completion' | 'generate_content' | 'embeddings';

/** `error.type` when nothing more specific is known (semconv's fallback value). */
export const ERROR_TYPE_OTHER = '_OTHER';

// --- llm_otel.* : our own extensions, where semconv has no name -------------------------------

/** Tokens were estimated with a tokenizer because the provider sent no usage. */
export const ATTR_LLM_OTEL_USAGE_ESTIMATED = 'llm_otel.usage.estimated';
/** OpenAI Predicted Outputs: accepted / rejected prediction tokens (no semconv name exists). */
export const ATTR_LLM_OTEL_USAGE_ACCEPTED_PREDICTION_OUTPUT_TOKENS = 'llm_otel.usage.accepted_prediction.output_tokens';
export const ATTR_LLM_OTEL_USAGE_REJECTED_PREDICTION_OUTPUT_TOKENS = 'llm_otel.usage.rejected_prediction.output_tokens';
/** The tokenizer encoding used for an estimate, e.g. `o200k_base`. */
export const ATTR_LLM_OTEL_USAGE_ESTIMATE_ENCODING = 'llm_otel.usage.estimate_encoding';
/**
 * Why a stream without usage got no estimate: `backlog_full` (too many estimates waiting),
 * `tokenizer_unavailable` (worker or tokenizer missing, e.g. left out of a bundle), `timeout`, `failed`.
 */
export const ATTR_LLM_OTEL_USAGE_ESTIMATE_SKIPPED = 'llm_otel.usage.estimate_skipped';
/** The cost was computed from estimated tokens. */
export const ATTR_LLM_OTEL_COST_ESTIMATED = 'llm_otel.cost.estimated';
/** Version (date) of the price table the cost was computed with, so an auditor can recompute it. */
export const ATTR_LLM_OTEL_COST_PRICE_TABLE_VERSION = 'llm_otel.cost.price_table_version';
/** The price-table entry that matched the model id (e.g. `gpt-4o-mini` for `gpt-4o-mini-2024-07-18`). */
export const ATTR_LLM_OTEL_COST_PRICE_MODEL = 'llm_otel.cost.price_model';
/** Service or context tier the price was taken from, when not the standard one. */
export const ATTR_LLM_OTEL_COST_TIER = 'llm_otel.cost.tier';
/** True when the price came from user overrides rather than the bundled table. */
export const ATTR_LLM_OTEL_COST_OVERRIDDEN = 'llm_otel.cost.overridden';
export const ATTR_LLM_OTEL_CONTEXT_WINDOW_SIZE = 'llm_otel.context_window.size';
/** input tokens / context window, 0..1 (can exceed 1 only if the table is wrong). */
export const ATTR_LLM_OTEL_CONTEXT_WINDOW_UTILIZATION = 'llm_otel.context_window.utilization';
/** Wire protocol the adapter parsed, e.g. `openai.chat_completions`. */
export const ATTR_LLM_OTEL_PROTOCOL = 'llm_otel.protocol';
/**
 * The server is not the provider's own host but speaks its protocol (an unregistered
 * OpenAI-compatible server named `openai`): see DESIGN.md, "Provider names".
 */
export const ATTR_LLM_OTEL_PROVIDER_COMPATIBLE = 'llm_otel.provider.compatible';
/** Which hook saw the call: `fetch` or `undici`. */
export const ATTR_LLM_OTEL_HOOK = 'llm_otel.hook';
/** Why parsing of the request or response failed; the caller's call was not affected. */
export const ATTR_LLM_OTEL_PARSE_ERROR = 'llm_otel.parse_error';
/** The response body was larger than the configured bound; only its head and tail were examined. */
export const ATTR_LLM_OTEL_RESPONSE_TRUNCATED = 'llm_otel.response.truncated';
/**
 * The caller stopped reading before the provider finished the response; on a tool or agent span, the
 * generator or stream it returned was dropped unfinished (the span ended when it was collected).
 */
export const ATTR_LLM_OTEL_RESPONSE_INCOMPLETE = 'llm_otel.response.incomplete';
/** Content capture dropped the tail of a message because it exceeded the configured bound. */
export const ATTR_LLM_OTEL_CONTENT_TRUNCATED = 'llm_otel.content.truncated';
/** The number of streamed events (SSE events, NDJSON lines, JSON-array elements) received. */
export const ATTR_LLM_OTEL_RESPONSE_EVENT_COUNT = 'llm_otel.response.event_count';

// --- identity: who asked, and the request fingerprint (engineer identity, issue 12 items 5, 6) ---
/** semconv `user.id` (registry, user namespace); pseudonymised before export (`@llm-otel/pii`). */
export const ATTR_USER_ID = 'user.id';
/** semconv `session.id` (registry, session namespace); pseudonymised like `user.id`. */
export const ATTR_SESSION_ID = 'session.id';
/**
 * Hex digest over the canonical request (docs/request-fingerprint.md): identical requests, identical
 * fingerprints. No semconv name exists for it (v1.41 and the GenAI conventions repository, 2026).
 */
export const ATTR_LLM_OTEL_REQUEST_FINGERPRINT = 'llm_otel.request.fingerprint';
/** `hmac-sha256` (under the fingerprint key) or `sha256` (no key: a guessed short prompt can be confirmed). */
export const ATTR_LLM_OTEL_REQUEST_FINGERPRINT_ALGORITHM = 'llm_otel.request.fingerprint_algorithm';
/** The fingerprint key's id, with `hmac-sha256`, so that keys rotate. */
export const ATTR_LLM_OTEL_REQUEST_FINGERPRINT_KEY_ID = 'llm_otel.request.fingerprint_key_id';
/** Why a span has no fingerprint: `body_over_bound` (over `maxRequestBodyBytes`), `body_unavailable` (not JSON, or a stream body never read), `failed`. */
export const ATTR_LLM_OTEL_REQUEST_FINGERPRINT_SKIPPED = 'llm_otel.request.fingerprint_skipped';

// --- metrics (semconv GenAI client metrics) ---------------------------------------------------

export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_GEN_AI_CLIENT_TIME_TO_FIRST_CHUNK = 'gen_ai.client.operation.time_to_first_chunk';
export const METRIC_GEN_AI_CLIENT_TIME_PER_OUTPUT_CHUNK = 'gen_ai.client.operation.time_per_output_chunk';
/** USD, unit `{USD}`; its points carry `llm_otel.usage.estimated` (true when priced from estimated tokens). */
export const METRIC_LLM_OTEL_COST = 'llm_otel.client.cost';
/** Tokens counted with a tokenizer because the provider reported none; kept out of gen_ai.client.token.usage. */
export const METRIC_LLM_OTEL_CLIENT_TOKEN_USAGE_ESTIMATED = 'llm_otel.client.token.usage.estimated';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';

// --- agents, workflows and tools (agent/; GenAI agent spans, v1.41 and the GenAI repository) -----

/** `gen_ai.operation.name` of the spans `agent/` makes (v1.41: create_agent, invoke_agent, invoke_workflow, execute_tool). */
export type GenAiAgentOperationName = 'create_agent' | 'invoke_agent' | 'invoke_workflow' | 'execute_tool';
/** Operations of spans that are not LLM call attempts: they consume no tokens themselves (usage de-duplication). */
export const GEN_AI_AGENT_OPERATIONS: ReadonlySet<string> = new Set<GenAiAgentOperationName>([
  'create_agent',
  'invoke_agent',
  'invoke_workflow',
  'execute_tool',
]);
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const ATTR_GEN_AI_AGENT_VERSION = 'gen_ai.agent.version';
/** Low-cardinality name of a workflow (`invoke_workflow {gen_ai.workflow.name}`). */
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
/** `function`, `extension` (e.g. an MCP server's tool) or `datastore`. */
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOOL_DESCRIPTION = 'gen_ai.tool.description';
/** The id the model gave the call (OpenAI `tool_calls[].id`, Responses `call_id`, Anthropic `tool_use.id`). */
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
/** Opt-in (content capture): the arguments the tool was called with, JSON. */
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
/** Opt-in (content capture): what the tool returned, JSON. */
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
/**
 * How many tool calls the model asked for in its response (all choices), recorded with or without
 * content capture, only when there was at least one. Semconv has no count; the ids are in
 * `gen_ai.output.messages` (`tool_call` parts) under capture.
 */
export const ATTR_LLM_OTEL_RESPONSE_TOOL_CALL_COUNT = 'llm_otel.response.tool_call.count';

// --- MCP client spans (engineer mcp; semantic-conventions v1.41.0 docs/gen-ai/mcp.md) ----------
// gen_ai.tool.name, gen_ai.tool.call.arguments and .result are defined once, in the agent block above.

export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_MCP_RESOURCE_URI = 'mcp.resource.uri';
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
/** The JSON-RPC error code of the response, as a string (`-32602`). */
export const ATTR_RPC_RESPONSE_STATUS_CODE = 'rpc.response.status_code';
export const ATTR_GEN_AI_PROMPT_NAME = 'gen_ai.prompt.name';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_NETWORK_PROTOCOL_NAME = 'network.protocol.name';
/** `gen_ai.operation.name` of a `tools/call` span. */
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
/** `error.type` of a `tools/call` whose CallToolResult has `isError: true` (semconv). */
export const ERROR_TYPE_MCP_TOOL_ERROR = 'tool_error';
/** The MCP request was sent with trace context we added to `params._meta` (false: left untouched, with the reason in llm_otel.mcp.meta_untouched). */
export const ATTR_LLM_OTEL_MCP_META_INJECTED = 'llm_otel.mcp.meta_injected';
export const ATTR_LLM_OTEL_MCP_META_UNTOUCHED = 'llm_otel.mcp.meta_untouched';
export const METRIC_MCP_CLIENT_OPERATION_DURATION = 'mcp.client.operation.duration';

// --- budgets (@llm-otel/budgets, issue 14) ---------------------------------------------------

/** Span event on the call whose spend crossed a budget threshold. */
export const EVENT_LLM_OTEL_BUDGET_ALERT = 'llm_otel.budget.alert';
/** The budget's name (on the alert event and on budget metrics). */
export const ATTR_LLM_OTEL_BUDGET_NAME = 'llm_otel.budget.name';
/** `warning` or `critical`. */
export const ATTR_LLM_OTEL_BUDGET_ALERT_LEVEL = 'llm_otel.budget.alert.level';
/** The period the spend is counted in: `request`, `day:2026-12-01`, `month:2026-12`. */
export const ATTR_LLM_OTEL_BUDGET_PERIOD = 'llm_otel.budget.period';
/** Spend in the period after the call, USD. */
export const ATTR_LLM_OTEL_BUDGET_SPENT = 'llm_otel.budget.spent';
/** The budget's limit, USD. */
export const ATTR_LLM_OTEL_BUDGET_LIMIT = 'llm_otel.budget.limit';
/** Budget alerts raised (once per budget, threshold, period and scope), unit `{alert}`. */
export const METRIC_LLM_OTEL_BUDGET_ALERTS = 'llm_otel.budget.alerts';
/** Calls refused before sending by a budget's hard stop, unit `{call}`. */
export const METRIC_LLM_OTEL_BUDGET_REFUSALS = 'llm_otel.budget.refusals';
/** Budget alerts the webhook notifier dropped because its queue was full, unit `{alert}`. */
export const METRIC_LLM_OTEL_BUDGET_WEBHOOK_DROPPED = 'llm_otel.budget.webhook.dropped';
