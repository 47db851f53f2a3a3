import { propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { now } from '../clock';
import { ResponseObserver } from '../framing/response-observer';
import { guarded } from '../guard';
import type { ObservedCall } from '../hooks/observed-call';
import { readHeader } from '../hooks/header-lookup';
import * as semconv from '../semconv';
import { BodyEndings, MAX_ERROR_BODY } from '../span/body-endings';
import { completeAfterCallerRead } from '../span/deferred-completion';
import { networkErrorType } from '../span/error-type';
import type { CallEnvironment, HookName } from '../span/llm-call';
import { rewriteBody } from './body-rewrite';
import { readClientMessage, stringParam, type ClientMessage } from './json-rpc-message';
import type { McpRequest } from './mcp-request';
import { McpResponseReader } from './response-reader';

/**
 * The CLIENT span of one MCP request or notification POSTed over Streamable HTTP, following the
 * MCP semantic conventions (semantic-conventions v1.41.0, docs/gen-ai/mcp.md, "Client"): name
 * `{mcp.method.name} {target}`, the JSON-RPC error code as `error.type`, `tool_error` for a
 * CallToolResult with `isError: true`. It ends when the response body ends (a JSON body, or the
 * SSE stream the server closes after its response). The hooks drive it like an LLM call.
 */
export class McpCall extends BodyEndings implements ObservedCall {
  private statusCode = 0;
  private reader?: McpResponseReader;
  // The body was rewritten or left untouched (and the span says which): decided once.
  private bodyDecided = false;

  private constructor(
    private readonly env: CallEnvironment,
    private request: McpRequest | undefined,
    private readonly message: Extract<ClientMessage, { kind: 'call' | 'invalid' }>,
    private readonly span: Span,
    private readonly parent: Context,
    private readonly startTime: number,
    /** The start attributes a metric point may carry (tool and prompt names, server, protocol). */
    private readonly metricAttributes: Attributes,
  ) {
    super('reading an MCP response body');
  }

  /** Starts the span; undefined when the POST is not an MCP request or notification after all. */
  static start(env: CallEnvironment, request: McpRequest, hook: HookName, parent: Context): McpCall | undefined {
    const message = messageOf(request);
    if (!message) return undefined;
    const attributes: Attributes = {
      [semconv.ATTR_SERVER_ADDRESS]: request.url.hostname,
      [semconv.ATTR_SERVER_PORT]: request.url.port ? Number(request.url.port) : request.url.protocol === 'http:' ? 80 : 443,
      [semconv.ATTR_NETWORK_TRANSPORT]: 'tcp',
      [semconv.ATTR_NETWORK_PROTOCOL_NAME]: 'http',
      [semconv.ATTR_LLM_OTEL_HOOK]: hook,
    };
    const sessionId = request.header('mcp-session-id');
    if (sessionId) attributes[semconv.ATTR_MCP_SESSION_ID] = sessionId;
    const protocolVersion = request.header('mcp-protocol-version');
    if (protocolVersion) attributes[semconv.ATTR_MCP_PROTOCOL_VERSION] = protocolVersion;
    let name = 'mcp';
    if (message.kind === 'invalid') {
      attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = message.reason;
    } else {
      name = addCallAttributes(attributes, message, env.config.captureContent, env.config.maxContentLength);
    }
    const span = env.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes, startTime: request.startTime }, parent);
    return new McpCall(env, request, message, span, parent, request.startTime, pick(attributes, METRIC_ATTRIBUTES));
  }

  contextIn(parent: Context): Context {
    return trace.setSpan(parent, this.span);
  }

  rewriteFetchInit(init: RequestInit | undefined): RequestInit | undefined {
    return this.rewrite(
      (body) => {
        if (typeof init !== 'object' || init === null || Object.getPrototypeOf(init) !== Object.prototype) return 'the fetch init is not a plain object';
        if (init.body !== body) return 'the body is not the fetch init body';
        if (readHeader(init.headers, 'content-length') !== undefined) return 'the caller set content-length';
        return undefined;
      },
      (body) => ({ ...init, body: body as RequestInit['body'] }),
    );
  }

  rewriteDispatch(options: Dispatcher.DispatchOptions): Dispatcher.DispatchOptions | undefined {
    return this.rewrite(
      (body) => {
        if (options.body !== body) return 'the body is not the dispatched body';
        // undici computes content-length from a string or buffer body unless the caller gave one.
        if (readHeader(options.headers, 'content-length') !== undefined) return 'the caller set content-length';
        return undefined;
      },
      (body) => ({ ...options, body: body as Dispatcher.DispatchOptions['body'] }),
    );
  }

  /**
   * The one change to a request body (DESIGN.md, "MCP"): trace context into `params._meta`, only for
   * a JSON-RPC request or notification whose body is a string or bytes within maxRequestBodyBytes.
   * Every doubt sends the caller's body as it was, and the span says why.
   */
  private rewrite<T>(check: (body: unknown) => string | undefined, apply: (body: unknown) => T): T | undefined {
    const request = this.request;
    const body = request?.raw;
    // The raw body is kept for this moment only.
    if (request) request.raw = undefined;
    if (!request || this.bodyDecided || this.message.kind !== 'call' || !this.env.config.mcp.propagateTraceContext) return undefined;
    this.bodyDecided = true;
    return guarded(
      'adding trace context to params._meta',
      () => {
        const refused = check(body);
        if (refused) return this.untouched(refused);
        const fields: Record<string, string> = {};
        propagation.inject(this.contextIn(this.parent), fields);
        if (Object.keys(fields).length === 0) return this.untouched('the propagator gave no trace context');
        const result = rewriteBody(body, this.env.config.maxRequestBodyBytes, fields);
        if ('untouched' in result) return this.untouched(result.untouched);
        this.span.setAttribute(semconv.ATTR_LLM_OTEL_MCP_META_INJECTED, true);
        return apply(result.body);
      },
      undefined,
    );
  }

  private untouched(reason: string): undefined {
    this.span.setAttributes({ [semconv.ATTR_LLM_OTEL_MCP_META_INJECTED]: false, [semconv.ATTR_LLM_OTEL_MCP_META_UNTOUCHED]: reason });
    return undefined;
  }

  onResponse(statusCode: number, contentType: string | undefined, header?: (name: string) => string | undefined): void {
    guarded(
      'observing an MCP response',
      () => {
        this.release();
        this.statusCode = statusCode;
        this.span.setAttribute(semconv.ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
        // initialize: the server names the session in its response headers.
        const sessionId = header?.('mcp-session-id');
        if (sessionId) this.span.setAttribute(semconv.ATTR_MCP_SESSION_ID, sessionId);
        const { config } = this.env;
        const isError = statusCode >= 400;
        const id = this.message.kind === 'call' ? this.message.id : undefined;
        const keepResult =
          config.captureContent && this.message.kind === 'call' && this.message.method === 'tools/call' ? { maxLength: config.maxContentLength } : undefined;
        this.reader = new McpResponseReader(id, keepResult);
        const streamed = !isError && (contentType?.toLowerCase().includes('text/event-stream') ?? false);
        this.observer = new ResponseObserver(
          streamed ? 'sse' : 'json',
          this.reader,
          {
            onFirstEvent: () => undefined,
            onProblem: (message) => {
              if (!isError) this.problem ??= message;
            },
          },
          { maxBodyLength: isError ? MAX_ERROR_BODY : config.maxResponseBodyBytes, maxEventLength: config.maxStreamEventBytes },
        );
      },
      undefined,
    );
  }

  /** What is kept of the request once it has been sent: nothing but the message facts. */
  private release(): void {
    if (this.request && !this.bodyDecided && this.message.kind === 'call' && this.env.config.mcp.propagateTraceContext) {
      this.untouched('the body could not be changed before it was sent (a stream, a Request object or a Blob)');
    }
    this.bodyDecided = true;
    this.request = undefined;
  }

  onChunk(chunk: Uint8Array): void {
    this.observer?.push(chunk);
  }

  protected finish(error: unknown, cancelled: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.request = undefined;
    const endTime = now();
    completeAfterCallerRead(this.env.completions, this.span, endTime, 'an MCP span', () => this.complete(error, cancelled, endTime));
  }

  private complete(error: unknown, cancelled: boolean, endTime: number): void {
    this.observer?.end();
    const outcome = this.reader?.outcome;
    const attributes: Attributes = {};
    if (outcome?.protocolVersion) attributes[semconv.ATTR_MCP_PROTOCOL_VERSION] = outcome.protocolVersion;
    if (outcome?.resultText !== undefined) attributes[semconv.ATTR_GEN_AI_TOOL_CALL_RESULT] = outcome.resultText;
    if (outcome?.resultTruncated) attributes[semconv.ATTR_LLM_OTEL_CONTENT_TRUNCATED] = true;
    if (this.observer?.truncated) attributes[semconv.ATTR_LLM_OTEL_RESPONSE_TRUNCATED] = true;
    const failure = this.failure(error, cancelled);
    if (failure) {
      attributes[semconv.ATTR_ERROR_TYPE] = failure.type;
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    }
    if (outcome?.errorCode) attributes[semconv.ATTR_RPC_RESPONSE_STATUS_CODE] = outcome.errorCode;
    if (this.problem) attributes[semconv.ATTR_LLM_OTEL_PARSE_ERROR] = this.problem;
    this.span.setAttributes(attributes);
    this.span.end(endTime);
    this.recordDuration(endTime, failure?.type, outcome?.errorCode);
    this.observer = undefined;
    this.reader = undefined;
  }

  /** `mcp.client.operation.duration` with the metric's low-cardinality attributes (no ids, no URIs). */
  private recordDuration(endTime: number, errorType: string | undefined, statusCode: string | undefined): void {
    const metrics = this.env.metrics;
    if (!metrics || this.message.kind !== 'call') return;
    const attributes: Attributes = { [semconv.ATTR_MCP_METHOD_NAME]: this.message.method, ...this.metricAttributes };
    if (errorType) attributes[semconv.ATTR_ERROR_TYPE] = errorType;
    if (statusCode) attributes[semconv.ATTR_RPC_RESPONSE_STATUS_CODE] = statusCode;
    guarded('recording an MCP metric', () => metrics.recordMcp((endTime - this.startTime) / 1000, attributes), undefined);
  }

  /** `error.type` and status message, or undefined when the call succeeded. */
  private failure(error: unknown, cancelled: boolean): { type: string; message: string } | undefined {
    const outcome = this.reader?.outcome;
    if (outcome?.errorCode) return { type: outcome.errorCode, message: outcome.errorMessage ?? `JSON-RPC error ${outcome.errorCode}` };
    if (error !== undefined) return { type: networkErrorType(error), message: error instanceof Error ? error.message : String(error) };
    if (this.statusCode >= 400) return { type: String(this.statusCode), message: `HTTP ${this.statusCode}` };
    if (outcome?.toolError) return { type: semconv.ERROR_TYPE_MCP_TOOL_ERROR, message: 'the tool reported an error (isError: true)' };
    if (this.message.kind === 'invalid') return { type: semconv.ERROR_TYPE_OTHER, message: this.message.reason };
    if (this.message.id !== undefined && !outcome?.answered) {
      if (cancelled) return { type: 'cancelled', message: this.problem ?? 'the caller stopped reading before the JSON-RPC response' };
      // A body cut at its bound, or an event too large to parse, may have held the response: not a
      // failure of the call; llm_otel.parse_error / llm_otel.response.truncated say what happened.
      if (this.observer?.truncated || this.problem !== undefined) return undefined;
      this.problem = 'the response ended without the JSON-RPC response';
      return { type: semconv.ERROR_TYPE_OTHER, message: this.problem };
    }
    return undefined;
  }
}

// semconv v1.41 mcp.md, mcp.client.operation.duration: mcp.method.name and error.type come from the call's end.
const METRIC_ATTRIBUTES = [
  semconv.ATTR_GEN_AI_OPERATION_NAME,
  semconv.ATTR_GEN_AI_TOOL_NAME,
  semconv.ATTR_GEN_AI_PROMPT_NAME,
  semconv.ATTR_MCP_PROTOCOL_VERSION,
  semconv.ATTR_NETWORK_TRANSPORT,
  semconv.ATTR_NETWORK_PROTOCOL_NAME,
  semconv.ATTR_SERVER_ADDRESS,
  semconv.ATTR_SERVER_PORT,
];

function pick(attributes: Attributes, names: readonly string[]): Attributes {
  const picked: Attributes = {};
  for (const name of names) if (attributes[name] !== undefined) picked[name] = attributes[name];
  return picked;
}

/** The message a span can be made of, or undefined (no span). */
function messageOf(request: McpRequest): Extract<ClientMessage, { kind: 'call' | 'invalid' }> | undefined {
  // A body we could not read (a stream, a Request object, a Blob) names no method: no span.
  if (request.bodyState === 'none' || request.bodyState === 'unread') return undefined;
  const message: ClientMessage = request.bodyState === 'json' ? readClientMessage(request.body) : { kind: 'invalid', reason: 'the request body is not JSON' };
  if (message.kind === 'call') return message;
  if (message.kind !== 'invalid') return undefined;
  // Say "malformed" only when the POST is surely MCP: its MCP headers, or a body that tried to be JSON-RPC.
  const tried = typeof request.body === 'object' && request.body !== null && 'jsonrpc' in request.body;
  return tried || request.header('mcp-protocol-version') !== undefined || request.header('mcp-session-id') !== undefined ? message : undefined;
}

/** The span name and the request's attributes (semconv v1.41 mcp.md, "Client"). */
function addCallAttributes(
  attributes: Attributes,
  message: Extract<ClientMessage, { kind: 'call' }>,
  captureContent: boolean,
  maxContentLength: number,
): string {
  const { method, params } = message;
  attributes[semconv.ATTR_MCP_METHOD_NAME] = method;
  if (message.id !== undefined) attributes[semconv.ATTR_JSONRPC_REQUEST_ID] = message.id;
  let target: string | undefined;
  if (method === 'tools/call') {
    attributes[semconv.ATTR_GEN_AI_OPERATION_NAME] = semconv.GEN_AI_OPERATION_EXECUTE_TOOL;
    target = stringParam(params, 'name');
    if (target !== undefined) attributes[semconv.ATTR_GEN_AI_TOOL_NAME] = target;
    if (captureContent && params?.arguments !== undefined) {
      const text = JSON.stringify(params.arguments);
      attributes[semconv.ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = text.length > maxContentLength ? text.slice(0, maxContentLength) : text;
      if (text.length > maxContentLength) attributes[semconv.ATTR_LLM_OTEL_CONTENT_TRUNCATED] = true;
    }
  } else if (method === 'prompts/get') {
    target = stringParam(params, 'name');
    if (target !== undefined) attributes[semconv.ATTR_GEN_AI_PROMPT_NAME] = target;
  } else if (method === 'initialize') {
    const version = stringParam(params, 'protocolVersion');
    if (version !== undefined) attributes[semconv.ATTR_MCP_PROTOCOL_VERSION] = version;
  }
  const uri = method.startsWith('resources/') || method === 'notifications/resources/updated' ? stringParam(params, 'uri') : undefined;
  // Not in the span name by default: URIs are high-cardinality (semconv).
  if (uri !== undefined) attributes[semconv.ATTR_MCP_RESOURCE_URI] = uri;
  return target !== undefined ? `${method} ${target}` : method;
}
