import { context, diag, type Context } from '@opentelemetry/api';
import { Agent, Dispatcher } from 'undici';
import { now } from '../span/llm-call';
import type { CallStarter } from './call-starter';
import { headerLookup } from './header-lookup';
import { fetchHookScope } from './hook-scope';
import { parseBodyChunks, parseRequestBody } from './request-body';
import { wrapHandler, type DispatchObservation } from './undici-handlers';

// The slot Node's built-in fetch and undici <= 7 read their global dispatcher from; undici 8 reads
// `.2` and mirrors into `.1` (shared/research/hooks.md).
const GLOBAL_DISPATCHER_V1 = Symbol.for('undici.globalDispatcher.1');
const GLOBAL_DISPATCHER_V2 = Symbol.for('undici.globalDispatcher.2');

type DispatchOptions = Dispatcher.DispatchOptions;
type Slots = Record<symbol, unknown>;

/**
 * A global dispatcher that observes LLM calls and delegates everything to the dispatcher that was
 * there before (or a default Agent). Because Node's fetch resolves the global dispatcher on every
 * request, this also sees clients that captured `fetch` before set-up, and `undici.request`,
 * `undici.fetch` and `undici.stream`. It is bypassed by a per-request `dispatcher` option and by a
 * later `setGlobalDispatcher` (README: "What is not covered").
 */
class ObservingDispatcher extends Dispatcher {
  constructor(
    readonly target: Dispatcher,
    private readonly hook: UndiciHook,
  ) {
    super();
  }

  override dispatch(options: DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const observed = this.hook.observe(options);
    if (!observed) return this.target.dispatch(options, handler);
    return this.target.dispatch(observed.options, wrapHandler(handler as Record<string, unknown>, observed.observation) as Dispatcher.DispatchHandler);
  }

  override close(...args: unknown[]): Promise<void> {
    return (this.target.close as (...a: unknown[]) => Promise<void>)(...args);
  }

  override destroy(...args: unknown[]): Promise<void> {
    return (this.target.destroy as (...a: unknown[]) => Promise<void>)(...args);
  }
}

export class UndiciHook {
  private dispatcher?: ObservingDispatcher;
  private active = false;

  constructor(
    private readonly starter: CallStarter,
    private readonly maxRequestBodyBytes: () => number,
  ) {}

  install(): void {
    if (this.active) return;
    this.active = true;
    const slots = globalThis as unknown as Slots;
    const current = slots[GLOBAL_DISPATCHER_V1];
    if (current instanceof ObservingDispatcher) return; // ours (another copy of this package's class would not match; see below)
    if (isObservingDispatcher(current)) {
      diag.warn('llm-otel: another llm-otel instrumentation already owns the global undici dispatcher; not installing a second one');
      this.active = false;
      return;
    }
    let target = current as Dispatcher | undefined;
    if (!target || typeof target.dispatch !== 'function') {
      // On Node 20 the slot is empty until the first fetch(); Node would create a default Agent then.
      target = new Agent();
    }
    this.dispatcher = new ObservingDispatcher(target, this);
    slots[GLOBAL_DISPATCHER_V1] = this.dispatcher;
    if (slots[GLOBAL_DISPATCHER_V2] === current && current !== undefined) slots[GLOBAL_DISPATCHER_V2] = this.dispatcher;
  }

  uninstall(): void {
    this.active = false;
    const slots = globalThis as unknown as Slots;
    if (!this.dispatcher) return;
    // Put back what was there (or the Agent we created, whose connections Node's fetch can keep
    // using), unless the application replaced our dispatcher since.
    const restored = this.dispatcher.target;
    if (slots[GLOBAL_DISPATCHER_V1] === this.dispatcher) slots[GLOBAL_DISPATCHER_V1] = restored;
    if (slots[GLOBAL_DISPATCHER_V2] === this.dispatcher) slots[GLOBAL_DISPATCHER_V2] = restored;
    this.dispatcher = undefined;
  }

  /** Called for every dispatch through the global dispatcher; returns undefined for anything not ours. */
  observe(options: DispatchOptions): { options: DispatchOptions; observation: DispatchObservation } | undefined {
    if (!this.active || fetchHookScope.getStore()) return undefined;
    try {
      const method = (options.method ?? 'GET').toUpperCase();
      if (method !== 'POST') return undefined;
      const url = new URL(options.path, options.origin as string | URL);
      const match = this.starter.match(method, url);
      if (!match) return undefined;
      const startTime = now();
      const parent = context.active();
      const maxBytes = this.maxRequestBodyBytes();
      const header = headerLookup(options.headers);
      const { body, tapped } = tapRequestBody(options.body, maxBytes);
      const observation: DispatchObservation = {
        respond: () =>
          this.starter.start(
            match,
            { method, url, body: tapped ? parseBodyChunks(tapped, maxBytes) : body, header, startTime, parent: parent as Context },
            'undici',
          ),
      };
      return { options: tapped ? ({ ...options, body: tapped.iterable } as DispatchOptions) : options, observation };
    } catch (error) {
      diag.debug('llm-otel: undici hook could not inspect a request', error);
      return undefined;
    }
  }
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
): { body: unknown; tapped?: Uint8Array[] & { iterable: AsyncIterable<Uint8Array> } } {
  if (body === undefined || body === null) return { body: undefined };
  if (typeof body === 'string' || body instanceof Uint8Array) return { body: parseRequestBody(body, maxBytes) };
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
