import { guarded } from '../guard';
import { createBodyDecoder, type BodyDecoder } from './body-decoder';
import type { ObservedCall } from './observed-call';

/**
 * What the dispatcher hook learns about one dispatched request; `respond` starts the span when the
 * response headers arrive (by then the request body has been sent and can be parsed).
 */
export interface DispatchObservation {
  respond(statusCode: number, header: (name: string) => string | undefined): ObservedCall | undefined;
}

/** Lifecycle shared by both handler APIs: response start, data, end, error. */
class ResponseTap {
  private call?: ObservedCall;
  private decoder?: BodyDecoder;

  constructor(private readonly observation: DispatchObservation) {}

  start(statusCode: number, header: (name: string) => string | undefined): void {
    // 1xx and redirects are not the response the caller reads.
    if (statusCode < 200 || (statusCode >= 300 && statusCode < 400)) return;
    const call = this.observation.respond(statusCode, header);
    if (!call) return;
    this.call = call;
    call.onResponse(statusCode, header('content-type'), header);
    this.decoder = createBodyDecoder(
      header('content-encoding'),
      (chunk) => call.onChunk(chunk),
      (error) => (error ? call.onError(error) : call.onEnd()),
    );
  }

  data(chunk: Uint8Array): void {
    this.decoder?.write(chunk);
  }

  end(): void {
    this.decoder?.end();
  }

  error(error: unknown): void {
    if (this.call) this.call.onError(error);
    else this.observation.respond(0, () => undefined)?.onError(error);
  }
}

type Method = (...args: unknown[]) => unknown;
type Handler = Record<string, unknown>;

const CURRENT_API = ['onRequestStart', 'onRequestUpgrade', 'onResponseStart', 'onResponseData', 'onResponseEnd', 'onResponseError'];
const LEGACY_API = ['onConnect', 'onUpgrade', 'onResponseStarted', 'onHeaders', 'onData', 'onComplete', 'onError', 'onBodySent', 'onRequestSent'];

/**
 * Wraps the caller's dispatch handler. Each method the handler has is forwarded with the handler
 * as `this` (handlers keep state on themselves) and its return value (false pauses the stream);
 * our observation runs first, guarded. Both undici handler APIs are supported: the current one
 * (undici >= 7, Node 24's fetch, handlers wrapped by `compose`) and the legacy one (Node 20/22's
 * bundled undici 6).
 */
export function wrapHandler(handler: Handler, observation: DispatchObservation): Handler {
  const tap = new ResponseTap(observation);
  const isCurrentApi = typeof handler.onResponseStart === 'function' || typeof handler.onRequestStart === 'function';
  const observers: Record<string, (args: unknown[]) => void> = isCurrentApi
    ? {
        onResponseStart: ([, statusCode, headers]) =>
          tap.start(statusCode as number, (name) => headerValue((headers as Record<string, string | string[]>)[name])),
        onResponseData: ([, chunk]) => tap.data(chunk as Uint8Array),
        onResponseEnd: () => tap.end(),
        onResponseError: ([, error]) => tap.error(error),
      }
    : {
        onHeaders: ([statusCode, rawHeaders]) => tap.start(statusCode as number, (name) => rawHeaderValue(rawHeaders as Buffer[] | null, name)),
        onData: ([chunk]) => tap.data(chunk as Uint8Array),
        onComplete: () => tap.end(),
        onError: ([error]) => tap.error(error),
      };
  const wrapped: Handler = {};
  for (const name of isCurrentApi ? CURRENT_API : LEGACY_API) {
    const method = handler[name];
    const observe = observers[name];
    if (typeof method !== 'function') {
      // Errors and ends must reach us even when the caller's handler does not implement them.
      if (observe) wrapped[name] = (...args: unknown[]) => observeGuarded(observe, args);
      continue;
    }
    wrapped[name] = observe
      ? (...args: unknown[]) => {
          observeGuarded(observe, args);
          return (method as Method).apply(handler, args);
        }
      : (...args: unknown[]) => (method as Method).apply(handler, args);
  }
  return wrapped;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function rawHeaderValue(raw: Buffer[] | string[] | null, name: string): string | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() === name) return String(raw[i + 1]);
  }
  return undefined;
}

/** A failure of ours (header parsing included) must never reach undici, which would fail the caller's request. */
function observeGuarded(observe: (args: unknown[]) => void, args: unknown[]): void {
  guarded('observing a dispatched response', () => observe(args), undefined);
}
