import type { Attributes } from '@opentelemetry/api';

/** An agent (`invoke_agent`, `create_agent` spans). Every field is optional; name it if you can. */
export interface AgentOptions {
  /** `gen_ai.agent.name`, in the span name too: `invoke_agent {name}`. Low cardinality. */
  name?: string;
  /** `gen_ai.agent.id`. */
  id?: string;
  /** `gen_ai.agent.description`. */
  description?: string;
  /** `gen_ai.agent.version`. */
  version?: string;
  /** `gen_ai.conversation.id`; goes on every LLM span inside too. */
  conversationId?: string;
  /**
   * `gen_ai.provider.name` of the model behind the agent (semconv requires it on agent spans when
   * known; an in-process agent may use several and then names none).
   */
  providerName?: string;
  /** `gen_ai.request.model`, when the agent is bound to one model. */
  requestModel?: string;
  /**
   * The agent runs in another service (OpenAI Assistants, Bedrock Agents): the span is a CLIENT
   * span, as semconv's "invoke agent client span". Default false: an in-process agent, INTERNAL.
   */
  remote?: boolean;
  /** Attributes of your own, set at the start. */
  attributes?: Attributes;
}

/** A workflow: a coordinated run of several agents or steps (`invoke_workflow` span). */
export interface WorkflowOptions {
  /** `gen_ai.workflow.name`, in the span name too. Low cardinality (semconv). */
  name: string;
  /** `gen_ai.conversation.id`; goes on every LLM span inside too. */
  conversationId?: string;
  attributes?: Attributes;
}

/** What every execution of one tool shares. */
export interface ToolOptions {
  /** `gen_ai.tool.name`, in the span name too: `execute_tool {name}`. */
  name: string;
  /** `gen_ai.tool.type`: `function` (default), `extension` (e.g. an MCP server's tool) or `datastore`. */
  type?: 'function' | 'extension' | 'datastore' | (string & {});
  /** `gen_ai.tool.description`. */
  description?: string;
  attributes?: Attributes;
}

/** One execution of a tool (`executeTool`). */
export interface ToolCallOptions extends ToolOptions {
  /** `gen_ai.tool.call.id`: the id the model gave this call, so a backend can join it to the LLM span's output. */
  callId?: string;
  /** The arguments, recorded as `gen_ai.tool.call.arguments` only under content capture (masked like all content). */
  arguments?: unknown;
}

/** A tool function wrapped once and called many times (`wrapTool`). */
export interface WrappedToolOptions<Args extends readonly unknown[]> extends ToolOptions {
  /** The model's id of a call, from its arguments. */
  callId?: (...args: Args) => string | undefined;
  /**
   * What to record as `gen_ai.tool.call.arguments` (content capture only). Default: the only
   * argument, or all of them as an array (without the callback of a callback-style tool).
   */
  arguments?: (...args: Args) => unknown;
  /**
   * The tool reports through a Node-style callback, its last argument (`(error, result) => …`): the
   * span ends when it is called. Default false.
   */
  callback?: boolean;
}
