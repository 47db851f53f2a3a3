import { context, SpanKind, type Attributes } from '@opentelemetry/api';
import { getGenAiContext, type GenAiContextAttributes } from '../context/gen-ai-context';
import { guarded } from '../guard';
import * as semconv from '../semconv';
import { observeResult } from './observe-result';
import { OperationSpan, type OperationStart } from './operation-span';
import type { AgentOptions, ToolCallOptions, ToolOptions, WorkflowOptions } from './options';

/**
 * Runs `fn` as one agent invocation: an `invoke_agent {name}` span (INTERNAL; CLIENT with
 * `remote`), active while `fn` runs, so the LLM calls made inside are its children and carry the
 * agent's id, name and conversation id. Returns exactly what `fn` returns (the same promise,
 * generator or stream, ended when it finishes) and throws exactly what it throws.
 */
export function invokeAgent<T>(options: AgentOptions, fn: () => T): T {
  return run(() => agentStart('invoke_agent', options, options.remote ? SpanKind.CLIENT : SpanKind.INTERNAL), fn, NO_RESULT);
}

/** An agent being created in a remote agent service: a `create_agent {name}` CLIENT span around `fn`. */
export function createAgent<T>(options: AgentOptions, fn: () => T): T {
  return run(() => agentStart('create_agent', options, SpanKind.CLIENT), fn, NO_RESULT);
}

/** Runs `fn` as one workflow (several agents or steps): an `invoke_workflow {name}` INTERNAL span. */
export function invokeWorkflow<T>(options: WorkflowOptions, fn: () => T): T {
  return run(
    () => {
      const attributes: Attributes = { [semconv.ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow', [semconv.ATTR_GEN_AI_WORKFLOW_NAME]: options.name };
      const conversationId = options.conversationId ?? activeConversationId();
      if (conversationId !== undefined) attributes[semconv.ATTR_GEN_AI_CONVERSATION_ID] = conversationId;
      return {
        name: `invoke_workflow ${options.name}`,
        kind: SpanKind.INTERNAL,
        attributes: Object.assign(attributes, options.attributes),
        genAiContext: options.conversationId !== undefined ? { conversationId: options.conversationId } : undefined,
      };
    },
    fn,
    NO_RESULT,
  );
}

/**
 * Runs `fn` as one tool execution: an `execute_tool {name}` INTERNAL span with the tool's name, type,
 * description and the model's call id. Under content capture the arguments and the result are
 * recorded (`gen_ai.tool.call.arguments` / `.result`), masked like every other content attribute.
 * A tool that throws (or rejects) gives the span status ERROR and `error.type`; the error reaches the
 * caller unchanged.
 */
export function executeTool<T>(options: ToolCallOptions, fn: () => T): T {
  return run(() => toolStart(options, options.callId), fn, {
    recordResult: true,
    before: (span) => {
      if (options.arguments !== undefined) span.recordContent(semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, () => options.arguments);
    },
  });
}

/** How run() treats the wrapped function's result. */
export interface RunOptions {
  /** Record the result as `gen_ai.tool.call.result` (content capture only). */
  recordResult: boolean;
  /** Called with the span before `fn` runs (tool arguments, a callback to end it). */
  before?: (span: OperationSpan) => void;
  /** The span ends some other way (a callback), not with the result. */
  endsElsewhere?: boolean;
}

/** Starts the span, runs `fn` in its context, and ends the span with what `fn` returns or throws. */
export function run<T>(start: () => OperationStart, fn: () => T, options: RunOptions): T {
  const span = OperationSpan.start(start);
  if (!span) return fn();
  if (options.before) guarded('preparing an agent or tool span', () => options.before?.(span), undefined);
  let result: T;
  try {
    result = context.with(span.context, fn);
  } catch (error) {
    span.fail(error);
    throw error;
  }
  return options.endsElsewhere ? result : observeResult(span, result, options.recordResult);
}

const NO_RESULT: RunOptions = { recordResult: false };

function agentStart(operation: 'invoke_agent' | 'create_agent', options: AgentOptions, kind: SpanKind): OperationStart {
  const attributes: Attributes = { [semconv.ATTR_GEN_AI_OPERATION_NAME]: operation };
  setIfDefined(attributes, semconv.ATTR_GEN_AI_PROVIDER_NAME, options.providerName);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_NAME, options.name);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_ID, options.id);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_DESCRIPTION, options.description);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_AGENT_VERSION, options.version);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_REQUEST_MODEL, options.requestModel);
  const conversationId = options.conversationId ?? activeConversationId();
  setIfDefined(attributes, semconv.ATTR_GEN_AI_CONVERSATION_ID, conversationId);
  // Only what this agent names: an outer conversation id stays when the agent names none.
  const genAiContext: GenAiContextAttributes = {};
  if (options.conversationId !== undefined) genAiContext.conversationId = options.conversationId;
  if (options.id !== undefined) genAiContext.agentId = options.id;
  if (options.name !== undefined) genAiContext.agentName = options.name;
  return {
    name: options.name ? `${operation} ${options.name}` : operation,
    kind,
    attributes: Object.assign(attributes, options.attributes),
    genAiContext,
  };
}

export function toolStart(options: ToolOptions, callId: string | undefined): OperationStart {
  const attributes: Attributes = {
    [semconv.ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
    [semconv.ATTR_GEN_AI_TOOL_NAME]: options.name,
    [semconv.ATTR_GEN_AI_TOOL_TYPE]: options.type ?? 'function',
  };
  setIfDefined(attributes, semconv.ATTR_GEN_AI_TOOL_DESCRIPTION, options.description);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_TOOL_CALL_ID, callId);
  setIfDefined(attributes, semconv.ATTR_GEN_AI_CONVERSATION_ID, activeConversationId());
  return { name: `execute_tool ${options.name}`, kind: SpanKind.INTERNAL, attributes: Object.assign(attributes, options.attributes) };
}

/** The conversation an enclosing agent, workflow or withGenAiContext() named. */
function activeConversationId(): string | undefined {
  return getGenAiContext(context.active())?.conversationId;
}

function setIfDefined(attributes: Attributes, name: string, value: string | undefined): void {
  if (typeof value === 'string') attributes[name] = value;
}
