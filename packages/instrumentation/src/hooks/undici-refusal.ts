import { context } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { guarded } from '../guard';
import type { BeforeSendCheck, Refusal } from '../span/before-send';
import type { CallStarter } from './call-starter';
import { McpRequest } from '../mcp/mcp-request';
import { joinChunks } from './request-body';
import { wrapHandler, type DispatchObservation } from './undici-handlers';

type DispatchOptions = Dispatcher.DispatchOptions;
type Handler = Record<string, unknown>;
type Method = (...args: unknown[]) => unknown;

/** What the before-send check of the undici hook needs from the hook. */
export interface CheckingHook {
  readonly starter: CallStarter;
  readonly maxRequestBodyBytes: number;
  observe(options: DispatchOptions): { options: DispatchOptions; observation: DispatchObservation } | undefined;
}

// Options this module has already checked (after reading the body): dispatched again, not checked twice.
const checked = new WeakSet<DispatchOptions>();

/**
 * A budget's hard stop on the undici path. Node's fetch hands the dispatcher its body as an async
 * generator, so the model and max_tokens are known only once the body is read: with a check
 * configured, the body is read here (up to the request-body bound) before anything is sent, then the
 * request is dispatched with the same bytes, or answered with the refusal. A body over the bound is
 * sent as it is (fail open). Returns false when the dispatch is not ours to take over.
 */
export function dispatchAfterCheck(
  hook: CheckingHook,
  check: BeforeSendCheck,
  options: DispatchOptions,
  handler: Dispatcher.DispatchHandler,
  redispatch: (options: DispatchOptions, handler: Dispatcher.DispatchHandler) => boolean,
): boolean {
  if (checked.has(options)) return false;
  const request = hook.starter.inspect(options.method ?? 'GET', options.path, options.origin as string | URL | undefined, options.headers);
  // MCP calls are not LLM spend: never held back for a check.
  if (!request || request instanceof McpRequest) return false;
  const parent = context.active();
  const body = options.body;
  if (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array) {
    request.body = guarded('reading a request body', () => request.readBody(body, hook.maxRequestBodyBytes), undefined);
    const refusal = hook.starter.refusal(request, parent);
    if (!refusal) return false;
    answer(hook, options, handler, refusal);
    return true;
  }
  if (!isAsyncIterable(body)) return false;
  void readBounded(body, hook.maxRequestBodyBytes).then(
    ({ chunks, rest }) =>
      context.with(parent, () => {
        request.body = rest ? undefined : request.readBody(joinChunks(chunks), hook.maxRequestBodyBytes);
        const refusal = rest ? undefined : hook.starter.refusal(request, parent);
        const resent = { ...options, body: rest ? replay(chunks, rest) : Buffer.concat(chunks) } as DispatchOptions;
        checked.add(resent);
        if (refusal) answer(hook, resent, handler, refusal);
        else redispatch(resent, handler);
      }),
    (error: unknown) => fail(handler, error),
  );
  return true;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function';
}

async function readBounded(body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ chunks: Uint8Array[]; rest?: AsyncIterator<Uint8Array> }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { chunks };
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > maxBytes) return { chunks, rest: iterator };
  }
}

async function* replay(chunks: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Answers the dispatch with the refusal, through the observing wrapper (the refused call has its
 * span), in whichever handler API the caller's handler speaks, on a later turn as a real response.
 */
function answer(hook: CheckingHook, options: DispatchOptions, handler: Dispatcher.DispatchHandler, refusal: Refusal): void {
  const observed = hook.observe(options);
  const target = (observed ? wrapHandler(handler as Handler, observed.observation) : handler) as Handler;
  const body = Buffer.from(refusal.body);
  const headers: Record<string, string> = { ...refusal.headers, 'content-length': String(body.byteLength) };
  setImmediate(() =>
    guarded(
      'answering a refused request',
      () => {
        if (typeof target.onResponseStart === 'function' || typeof target.onRequestStart === 'function') {
          const controller = { abort() {}, pause() {}, resume() {}, paused: false, aborted: false, reason: null };
          call(target, 'onRequestStart', controller, {});
          call(target, 'onResponseStart', controller, refusal.status, headers, 'Refused by budget');
          call(target, 'onResponseData', controller, body);
          call(target, 'onResponseEnd', controller, {});
          return;
        }
        const raw: Buffer[] = [];
        for (const [name, value] of Object.entries(headers)) raw.push(Buffer.from(name), Buffer.from(value));
        call(target, 'onConnect', () => {});
        call(target, 'onHeaders', refusal.status, raw, () => {}, 'Refused by budget');
        call(target, 'onData', body);
        call(target, 'onComplete', []);
      },
      undefined,
    ),
  );
}

function call(handler: Handler, name: string, ...args: unknown[]): void {
  const method = handler[name];
  if (typeof method === 'function') (method as Method).apply(handler, args);
}

function fail(handler: Dispatcher.DispatchHandler, error: unknown): void {
  const target = handler as Handler;
  if (typeof target.onResponseError === 'function') call(target, 'onResponseError', { abort() {} }, error);
  else call(target, 'onError', error);
}
