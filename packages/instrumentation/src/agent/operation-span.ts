import { context, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanKind } from '@opentelemetry/api';
import { setGenAiContext, type GenAiContextAttributes } from '../context/gen-ai-context';
import { guarded } from '../guard';
import * as semconv from '../semconv';
import { networkErrorType } from '../span/error-type';
import { agentSpanSource, type AgentSpanSource } from './span-source';

/** What one agent, workflow or tool span starts with. */
export interface OperationStart {
  name: string;
  kind: SpanKind;
  attributes: Attributes;
  /** Conversation and agent ids for the LLM spans inside (setGenAiContext). */
  genAiContext?: GenAiContextAttributes;
}

// Every agent, workflow and tool span still open, so that a shutdown can end them (endOpenAgentSpans).
// They are alive anyway while open (the context of the running function holds them); none holds the
// result it waits for, so a dropped result is still collected and its span leaves this set then.
// Under a `Symbol.for` key, as the pending LLM spans are: the processor's copy of this package may
// not be the application's (two versions installed side by side).
const OPEN_SPANS = Symbol.for('llm-otel.instrumentation.open-agent-spans');
type GlobalSlot = { [OPEN_SPANS]?: Set<{ abandon(): void }> };
const open = ((globalThis as GlobalSlot)[OPEN_SPANS] ??= new Set());

/**
 * Ends every agent, workflow and tool span still open, marked `llm_otel.response.incomplete`: called
 * when telemetry shuts down, so that the LLM spans already exported inside them do not arrive without
 * their parents (a process ending mid-run, a generator never finished).
 */
export function endOpenAgentSpans(): void {
  for (const span of [...open]) span.abandon();
}

/**
 * One agent, workflow or tool span: started by our tracer under the active context, ended exactly
 * once (by the result, an error, or the collector when a result is dropped unfinished). Every step
 * is guarded: telemetry that fails leaves the user's function running as if it were not wrapped.
 */
export class OperationSpan {
  private ended = false;

  private constructor(
    private readonly span: Span,
    /** The context the wrapped function runs in: this span active, plus the GenAI context. */
    readonly context: Context,
    /** The caller's context, for what runs on the caller's behalf afterwards (its callback). */
    readonly parent: Context,
    readonly source: AgentSpanSource,
  ) {}

  /** The span, or undefined when telemetry could not start one (the function then runs bare). */
  static start(start: () => OperationStart): OperationSpan | undefined {
    return guarded(
      'starting an agent or tool span',
      () => {
        const source = agentSpanSource();
        const { name, kind, attributes, genAiContext } = start();
        const parent = context.active();
        const span = source.tracer.startSpan(name, { kind, attributes }, parent);
        const withContext = genAiContext ? setGenAiContext(parent, genAiContext) : parent;
        const operation = new OperationSpan(span, trace.setSpan(withContext, span), parent, source);
        open.add(operation);
        return operation;
      },
      undefined,
    );
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Content attributes (tool arguments, results) only under content capture, cut to the bound. */
  recordContent(name: string, value: () => unknown): void {
    if (this.ended || !this.source.captureContent) return;
    guarded(
      'recording tool content',
      () => {
        const text = contentJson(value());
        if (text === undefined) return;
        const max = this.source.maxContentLength;
        this.span.setAttribute(name, text.length > max ? text.slice(0, max) : text);
        if (text.length > max) this.span.setAttribute(semconv.ATTR_LLM_OTEL_CONTENT_TRUNCATED, true);
      },
      undefined,
    );
  }

  end(): void {
    this.finish(undefined, false);
  }

  /** Ends with status ERROR and `error.type`; the error itself is the caller's and goes on unchanged. */
  fail(error: unknown): void {
    this.finish(error, true);
  }

  /** The result was dropped before it finished (a generator abandoned mid-way, collected). */
  abandon(): void {
    if (this.ended) return;
    guarded('ending an abandoned span', () => this.span.setAttribute(semconv.ATTR_LLM_OTEL_RESPONSE_INCOMPLETE, true), undefined);
    this.finish(undefined, false);
  }

  private finish(error: unknown, failed: boolean): void {
    if (this.ended) return;
    this.ended = true;
    open.delete(this);
    guarded(
      'ending an agent or tool span',
      () => {
        if (failed) {
          this.span.setAttribute(semconv.ATTR_ERROR_TYPE, errorTypeOf(error));
          this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessageOf(error) });
        }
        this.span.end();
      },
      undefined,
    );
  }
}

/** A thrown value's class: its `code` (ECONNREFUSED), else its name (TypeError); `_OTHER` for non-errors. */
function errorTypeOf(error: unknown): string {
  return networkErrorType(error);
}

function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'the function threw a value that is not an Error';
}

/** A string is kept as it is; anything else as JSON (undefined when it has none, e.g. a function). */
function contentJson(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
  } catch {
    // Circular, or a toJSON that threw: the content is not recorded, the call is unaffected.
    return '"[not serialisable]"';
  }
}
