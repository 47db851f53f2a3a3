import { context, diag } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { ResolvedConfig } from '../config';
import { guarded } from '../guard';
import type { CallStarter } from './call-starter';
import { insideFetchHook } from './hook-scope';
import { McpRequest } from '../mcp/mcp-request';
import { loadFetchPrototypes } from './observed-response';
import { joinChunks } from './request-body';
import { dispatchWithHeaders, withTraceContext } from './trace-context';
import { wrapHandler, type DispatchObservation } from './undici-handlers';
import { newAgent, UndiciDispatcher, withUndiciApiMethods } from './undici-dispatcher';
import { dispatchAfterCheck } from './undici-refusal';

// The global dispatcher slots (shared/research/hooks.md). Node's built-in fetch and npm undici 6
// read and write `.1`; undici 7 writes one dispatcher into both and reads `.1`; undici 8 reads `.2`
// and keeps in `.1` a wrapper of it that translates the legacy handler API (Dispatcher1Wrapper).
const GLOBAL_DISPATCHER_V1 = Symbol.for('undici.globalDispatcher.1');
const GLOBAL_DISPATCHER_V2 = Symbol.for('undici.globalDispatcher.2');

type DispatchOptions = Dispatcher.DispatchOptions;
type Slots = Record<symbol, unknown>;

/**
 * A global dispatcher that observes LLM calls and delegates everything to the dispatcher that was
 * there before (or a default Agent, made at its first dispatch). Because Node's fetch resolves the
 * global dispatcher on every request, this also sees clients that captured `fetch` before set-up, and
 * `undici.request`, `undici.fetch` and `undici.stream`. It is bypassed by a per-request `dispatcher`
 * option and by a later `setGlobalDispatcher` (README: "What is not covered").
 */
class ObservingDispatcher extends UndiciDispatcher {
  private made?: Dispatcher;

  constructor(
    private readonly targetOrMaker: Dispatcher | (() => Dispatcher),
    private readonly hook: UndiciHook,
  ) {
    super();
  }

  /** The dispatcher delegated to. An Agent of our own is made when first dispatched to: see install(). */
  get target(): Dispatcher {
    if (typeof this.targetOrMaker !== 'function') return this.targetOrMaker;
    this.made ??= this.targetOrMaker();
    return this.made;
  }

  /** Whether its hook is enabled (a disabled hook's dispatcher only delegates). */
  get observing(): boolean {
    return this.hook.isActive;
  }

  /** The dispatcher delegated to, unless it is an Agent not made yet. */
  get previous(): Dispatcher | undefined {
    return typeof this.targetOrMaker === 'function' ? this.made : this.targetOrMaker;
  }

  override dispatch(options: DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.hook.checkBeforeSend(options, handler, (resent, again) => this.dispatch(resent, again))) return true;
    const observed = this.hook.observe(options);
    if (!observed) return this.target.dispatch(options, handler);
    return this.target.dispatch(observed.options, wrapHandler(handler as Record<string, unknown>, observed.observation) as Dispatcher.DispatchHandler);
  }

  override close(...args: unknown[]): Promise<void> {
    const target = this.previous;
    return target ? (target.close as (...a: unknown[]) => Promise<void>)(...args) : closedWithoutTarget(args);
  }

  override destroy(...args: unknown[]): Promise<void> {
    const target = this.previous;
    return target ? (target.destroy as (...a: unknown[]) => Promise<void>)(...args) : closedWithoutTarget(args);
  }
}
withUndiciApiMethods(ObservingDispatcher.prototype);

/** close()/destroy() of an Agent never made: nothing to close; a callback, if given, is called as undici does. */
function closedWithoutTarget(args: unknown[]): Promise<void> {
  const callback = args.find((arg) => typeof arg === 'function') as ((error: null) => void) | undefined;
  if (callback) {
    queueMicrotask(() => callback(null));
    return undefined as unknown as Promise<void>;
  }
  return Promise.resolve();
}

export class UndiciHook {
  /** What this hook put into each slot (one dispatcher may sit in both). */
  private installed?: { v1: ObservingDispatcher; v2: ObservingDispatcher };
  private active = false;

  constructor(
    readonly starter: CallStarter,
    private readonly config: Pick<ResolvedConfig, 'maxRequestBodyBytes' | 'propagateTraceContext' | 'beforeSend'>,
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  get maxRequestBodyBytes(): number {
    return this.config.maxRequestBodyBytes;
  }

  /** A budget's hard stop (undici-refusal.ts): true when it took the dispatch over. */
  checkBeforeSend(
    options: DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    redispatch: (options: DispatchOptions, handler: Dispatcher.DispatchHandler) => boolean,
  ): boolean {
    const check = this.config.beforeSend;
    if (!check || !this.active || insideFetchHook()) return false;
    return guarded('checking a dispatched request', () => dispatchAfterCheck(this, check, options, handler, redispatch), false);
  }

  install(): void {
    if (this.active) return;
    this.active = true;
    // Node puts its own Agent into `.1` when its fetch implementation loads, which reading a fetch
    // class makes it do: done here, so that the slot holds Node's Agent to wrap (see below).
    guarded('reading the fetch classes', () => void loadFetchPrototypes(), undefined);
    const slots = globalThis as unknown as Slots;
    const v1 = withoutInactive(slots[GLOBAL_DISPATCHER_V1]);
    const v2 = withoutInactive(slots[GLOBAL_DISPATCHER_V2]);
    if (v1 instanceof ObservingDispatcher || v2 instanceof ObservingDispatcher) return; // ours (another copy of this package's class would not match; see below)
    if (isObservingDispatcher(v1) || isObservingDispatcher(v2)) {
      diag.warn('llm-otel: another llm-otel instrumentation already owns the global undici dispatcher; not installing a second one');
      this.active = false;
      return;
    }
    // `.1` is dispatched to with either handler API (Node 20/22's fetch speaks undici 6's legacy
    // one), so when it is empty it gets an Agent of our own undici 7, which speaks both, made at its
    // first dispatch. It is rarely empty: Node fills it when fetch's classes are first touched, which
    // install() does above (hooks/observed-response.ts reads `Response.prototype`).
    const legacy = asDispatcher(v1);
    const observeV1 = new ObservingDispatcher(legacy ?? newAgent, this);
    let observeV2: ObservingDispatcher;
    const current = asDispatcher(v2);
    if (current && current === legacy)
      observeV2 = observeV1; // undici 7's layout
    else if (current)
      observeV2 = new ObservingDispatcher(current, this); // undici 8's layout: `.1` wraps `.2`, each dispatch goes through one of them only
    else if (!legacy)
      observeV2 = observeV1; // both empty: one Agent for both, as undici 7 would set
    // `.1` holds Node's own dispatcher (after a first fetch), which may speak only the legacy API
    // (undici 6): undici 8 must not dispatch to it. An empty `.2` is filled rather than left, because
    // undici 8, loaded later, would find it empty and replace `.1` too, unhooking Node's fetch.
    else observeV2 = new ObservingDispatcher(newAgent, this);
    slots[GLOBAL_DISPATCHER_V1] = observeV1;
    slots[GLOBAL_DISPATCHER_V2] = observeV2;
    this.installed = { v1: observeV1, v2: observeV2 };
  }

  uninstall(): void {
    this.active = false;
    const slots = globalThis as unknown as Slots;
    if (!this.installed) return;
    // Put back what was there (or the Agent we created, whose connections Node's fetch can keep
    // using), unless the application replaced our dispatcher since.
    const { v1, v2 } = this.installed;
    // A slot that was empty and whose Agent was never made keeps our dispatcher: inactive, it only
    // delegates. Emptied, undici would crash on `undefined.dispatch` (Node's fetch, undici 8 already
    // loaded) or replace the other slot (undici 8 loaded later); making the Agent now would load undici
    // at shutdown, which an application bundle may not have (test/setup/bundled-export.e2e.test.ts).
    if (slots[GLOBAL_DISPATCHER_V1] === v1) slots[GLOBAL_DISPATCHER_V1] = v1.previous ?? v1;
    if (slots[GLOBAL_DISPATCHER_V2] === v2) slots[GLOBAL_DISPATCHER_V2] = v2.previous ?? v2;
    this.installed = undefined;
  }

  /** Called for every dispatch through the global dispatcher; returns undefined for anything not ours. */
  observe(options: DispatchOptions): { options: DispatchOptions; observation: DispatchObservation } | undefined {
    if (!this.active || insideFetchHook()) return undefined;
    const request = this.starter.inspect(options.method ?? 'GET', options.path, options.origin as string | URL | undefined, options.headers);
    if (!request) return undefined;
    return guarded(
      'preparing to observe a dispatched request',
      () => {
        const parent = context.active();
        const maxBytes = this.config.maxRequestBodyBytes;
        const { body, tapped } = tapRequestBody(options.body, maxBytes, request);
        request.body = body;
        // MCP with a string or buffer body: the span starts before sending, its context goes into params._meta.
        let early = request instanceof McpRequest && !tapped ? this.starter.start(request, 'undici', parent) : undefined;
        // Single use: once the span has started, the handler (alive for the whole response) must
        // not keep the request body and its copied chunks alive too.
        let pending: typeof request | undefined = early ? undefined : request;
        const observation: DispatchObservation = {
          respond: () => {
            const startedEarly = early;
            early = undefined;
            if (startedEarly) return startedEarly;
            const started = pending;
            pending = undefined;
            if (!started) return undefined;
            if (tapped) {
              started.body = started.readBody(joinChunks(tapped), maxBytes);
              tapped.length = 0;
            }
            return this.starter.start(started, 'undici', parent);
          },
        };
        const sent = tapped ? ({ ...options, body: tapped.iterable } as DispatchOptions) : options;
        // The LLM span starts only when the response arrives (the request body must have been sent to
        // be parsed), so what is propagated here is the caller's context: a gateway joins the trace
        // beside the LLM span, not under it.
        const propagated = this.config.propagateTraceContext ? withTraceContext(sent, parent, dispatchWithHeaders) : sent;
        return { options: early?.rewriteDispatch?.(propagated) ?? propagated, observation };
      },
      undefined,
    );
  }
}

/** A dispatcher a disabled hook left in a slot (see uninstall()) counts as what it delegates to, or as an empty slot. */
function withoutInactive(value: unknown): unknown {
  return value instanceof ObservingDispatcher && !value.observing ? value.previous : value;
}

function asDispatcher(value: unknown): Dispatcher | undefined {
  return typeof (value as Dispatcher | undefined)?.dispatch === 'function' ? (value as Dispatcher) : undefined;
}

function isObservingDispatcher(value: unknown): boolean {
  return typeof value === 'object' && value !== null && value.constructor?.name === 'ObservingDispatcher';
}

/**
 * Strings and buffers are read directly. Node's fetch hands the dispatcher an async generator over
 * the body: we pass on a generator that yields the same chunks, keeping copies up to the bound, so
 * the body is parsed once undici has sent it. Node streams and other bodies are not touched.
 */
function tapRequestBody(
  body: unknown,
  maxBytes: number,
  reader: { readBody(raw: unknown, maxBytes: number): unknown },
): { body: unknown; tapped?: Uint8Array[] & { iterable: AsyncIterable<Uint8Array> } } {
  if (body === undefined || body === null) return { body: undefined };
  if (typeof body === 'string' || body instanceof Uint8Array) return { body: reader.readBody(body, maxBytes) };
  const isAsyncGenerator = typeof (body as AsyncGenerator)[Symbol.asyncIterator] === 'function' && typeof (body as AsyncGenerator).next === 'function';
  if (!isAsyncGenerator) return { body: undefined };
  const chunks: Uint8Array[] = [];
  let kept = 0;
  async function* copy(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      if (kept <= maxBytes) {
        chunks.push(chunk);
        kept += chunk.byteLength;
      }
      yield chunk;
    }
  }
  const tapped = Object.assign(chunks, { iterable: copy() });
  return { body: undefined, tapped };
}
