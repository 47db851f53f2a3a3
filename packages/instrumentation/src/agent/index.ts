export { invokeAgent, createAgent, invokeWorkflow, executeTool } from './operations';
export { wrapTool } from './wrap-tool';
export type { AgentOptions, WorkflowOptions, ToolOptions, ToolCallOptions, WrappedToolOptions } from './options';
export { endOpenAgentSpans } from './operation-span';
