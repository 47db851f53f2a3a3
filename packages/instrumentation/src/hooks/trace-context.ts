import { diag, propagation, type Context } from '@opentelemetry/api';
import { channel } from 'node:diagnostics_channel';
import type { Dispatcher } from 'undici';

// Where @opentelemetry/instrumentation-undici (and APM agents built on undici's diagnostics channels)
// start their HTTP span and append its trace context to the request, unconditionally. When anyone
// listens here, we add nothing: a second `traceparent` would make the request's trace ambiguous.
const requestCreated = channel('undici:request:create');

/**
 * The trace-context headers the registered propagator gives for `sentUnder` (W3C `traceparent` and
 * `tracestate` by default), or undefined when none should be added: another instrumentation injects
 * at the undici layer, or the propagator has nothing to say (no valid span).
 *
 * Adding them is one of the deliberate, bounded exceptions to "never change the request"
 * (docs/caller-safety.md): only these headers, only when the request carries none of them, and
 * fail-open (any problem sends the request exactly as the caller made it).
 */
function traceContextHeaders(sentUnder: Context): Record<string, string> | undefined {
  if (requestCreated.hasSubscribers) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(sentUnder, carrier);
  return Object.keys(carrier).length > 0 ? carrier : undefined;
}

/**
 * `request` (a fetch init or undici dispatch options) with the trace-context headers for `sentUnder`
 * added by `add`, or `request` itself when there is nothing to add, `add` declines, or anything fails.
 */
export function withTraceContext<T>(request: T, sentUnder: Context, add: (request: T, added: Record<string, string>) => T | undefined): T {
  try {
    const added = traceContextHeaders(sentUnder);
    return (added && add(request, added)) ?? request;
  } catch (error) {
    diag.debug('llm-otel: could not add trace-context headers; the request is sent as it was', error);
    return request;
  }
}

/**
 * A fetch `init` with the headers added, or undefined when that cannot be done by changing headers
 * alone (an `init` that is not a plain object, a header already present). The caller's `init` and
 * headers object are never modified.
 */
export function initWithHeaders(init: RequestInit | undefined, added: Record<string, string>): RequestInit | undefined {
  if (init !== undefined && !isPlainObject(init as unknown)) return undefined;
  const given = init?.headers;
  let headers: Record<string, string> | Headers;
  if (given instanceof Headers) {
    // What SDKs pass (openai builds a Headers). Copied into a record, not a new Headers: fetch copies
    // the headers into its own list anyway, and a second Headers cost 6-8 µs per call against 2 µs
    // for the record (issue 11). Iteration gives lower-case names and combined values, as Headers would.
    const record: Record<string, string> = {};
    for (const [name, value] of given) record[name] = value;
    for (const name of Object.keys(added)) if (Object.hasOwn(record, name)) return undefined;
    headers = Object.assign(record, added);
  } else {
    const copy = new Headers(given);
    for (const name of Object.keys(added)) if (copy.has(name)) return undefined;
    for (const [name, value] of Object.entries(added)) copy.set(name, value);
    headers = copy;
  }
  return Object.assign({}, init, { headers });
}

type DispatchOptions = Dispatcher.DispatchOptions;

/** Dispatch options with the headers added, for undici's object, flat-array and pair-array shapes. */
export function dispatchWithHeaders(options: DispatchOptions, added: Record<string, string>): DispatchOptions | undefined {
  const headers = options.headers as unknown;
  const present = (name: unknown) => Object.hasOwn(added, String(name).toLowerCase());
  if (headers === undefined || headers === null) return { ...options, headers: { ...added } };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      if ((headers as unknown[][]).some(([name]) => present(name))) return undefined;
      return { ...options, headers: [...(headers as [string, string][]), ...Object.entries(added)] } as DispatchOptions;
    }
    for (let i = 0; i < headers.length; i += 2) if (present(headers[i])) return undefined;
    return { ...options, headers: [...(headers as string[]), ...Object.entries(added).flat()] };
  }
  if (isPlainObject(headers)) {
    if (Object.keys(headers).some(present)) return undefined;
    return { ...options, headers: { ...(headers as Record<string, string>), ...added } };
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
