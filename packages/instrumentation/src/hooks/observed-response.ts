import type { ObservedCall } from './observed-call';
import { wrapResponse } from './response-wrapper';
import { defineOwn, ownProperties, type OwnProperties } from './own-properties';
import { privateSlot } from './private-slot';
import { loadStreamPrototype, tapBody } from './tapped-body';

type WholeRead = 'json' | 'text' | 'arrayBuffer' | 'bytes';
// Read by loadFetchPrototypes(), when a hook is installed, not as this package loads (see there).
let proto: Response;
// `bytes()` is missing from Node 20's types and from fetch before Node 20.16.
let wholeReads: Partial<Record<WholeRead, (this: Response) => Promise<unknown>>>;
let protoBody: () => unknown;
let ownMethods: OwnProperties | undefined;

/**
 * Reads the prototypes of the global `Response` and `ReadableStream`, once: called when the fetch
 * hook is installed (the fetch it wraps is the global one of that moment too), and by the undici
 * hook, which needs what reading them does: Node then loads its fetch implementation (its internal
 * undici), which puts Node's own Agent into the global-dispatcher slot the hook wraps. Not at import
 * (issue 11, start-up): that costs 20-55 ms and ~10 MiB on Node 20, 75-90 ms and 14-17 MiB on
 * Node 24 (an empty process, measured), which an application that imports the package without
 * installing a hook (OTEL_SDK_DISABLED, @llm-otel/processor on its own) would pay for nothing.
 */
export function loadFetchPrototypes(): OwnProperties {
  if (ownMethods) return ownMethods;
  proto = Response.prototype;
  wholeReads = proto as unknown as typeof wholeReads;
  protoBody = Object.getOwnPropertyDescriptor(proto, 'body')!.get!;
  loadStreamPrototype();
  ownMethods = ownProperties({
    body: {
      get: function body(this: Response) {
        const observation = observations.get(this);
        return observation ? observation.body() : protoBody.call(this);
      },
      configurable: true,
    },
    clone: delegated('clone'),
    blob: delegated('blob'),
    formData: delegated('formData'),
    json: readWhole('json'),
    text: readWhole('text'),
    arrayBuffer: readWhole('arrayBuffer'),
    // `bytes()` only where fetch has it.
    ...(typeof wholeReads.bytes === 'function' ? { bytes: readWhole('bytes') } : {}),
  });
  return ownMethods;
}

/**
 * Whether `response` is a Response of the fetch classes read above (a subclass included) with a body:
 * their prototype is on its chain, and the body getter's own brand check, which throws on anything
 * else, passes and finds a body (one read of the getter, which is on every call's path). A polyfill's
 * Response (node-fetch put into `globalThis.fetch`) is not one: observed in place, its `json()` called
 * Node's on it and the caller got "TypeError: Illegal invocation". Nor is Node's, when a polyfill was
 * `globalThis.Response` as the hook was installed (its getter checks nothing).
 */
export function hasFetchBody(response: Response): boolean {
  loadFetchPrototypes();
  if (!Object.prototype.isPrototypeOf.call(proto, response)) return false;
  try {
    return protoBody.call(response) != null;
  } catch {
    return false;
  }
}

/**
 * Observes the Response fetch returned in place, instead of handing the caller a rebuilt one
 * (issue 11: a new Response and ReadableStream around every body, a copy of every chunk, our own
 * decode and JSON.parse of what the SDK parses anyway were a quarter of the time llm-otel added to a
 * plain `openai` call in bench/peers' profile, and most of its garbage).
 *
 * SDKs read a whole JSON body with `json()` or `text()`: those read the original directly, and the
 * span is given the caller's own result (the parsed value, or the text), read before the caller
 * gets it. Everything else — `body`, `clone()`, `blob()`, `formData()`, a stream's text — goes through
 * the chunk-by-chunk wrapper (response-wrapper.ts), made on first use, to which every later call is
 * delegated, so the caller sees one body whichever way it reads it. The own properties are
 * non-enumerable (Object.keys and JSON are unchanged) and configurable, like the prototype's.
 */
export function observeInPlace(response: Response, call: ObservedCall, abandoned: FinalizationRegistry<ObservedCall>): Response {
  const methods = ownMethods ?? loadFetchPrototypes();
  observations.set(response, new InPlaceObservation(response, call, abandoned));
  defineOwn(response, methods);
  return response;
}

// The own methods are made once and shared by every observed Response (closures per Response were
// a measurable part of the call, issue 11); each finds its observation by `this`. Called on anything
// else (a method taken off one Response and called on another, or on nothing) they do what the
// prototype's would, TypeError included. The observation is in a private field of the Response, not
// a WeakMap: it refers to its Response, and such WeakMap entries were promoted (private-slot.ts).
const observations = privateSlot<InPlaceObservation>();
const method = (value: (this: Response) => unknown): PropertyDescriptor => ({ value, writable: true, configurable: true });
const delegated = (name: 'clone' | 'blob' | 'formData') =>
  method(
    {
      [name](this: Response) {
        const observation = observations.get(this);
        return observation ? observation.wrapper()[name]() : (proto[name] as (this: Response) => unknown).call(this);
      },
    }[name],
  );
const readWhole = (name: WholeRead) =>
  method(
    {
      [name](this: Response) {
        const observation = observations.get(this);
        return observation ? observation.readWhole(name) : wholeReads[name]?.call(this);
      },
    }[name],
  );

class InPlaceObservation {
  private wrapped?: Response;
  private tapped?: ReadableStream<Uint8Array>;
  // The token of the Response's registration for abandonment, until a read takes over.
  private readonly token = {};
  // Registration for abandonment waits one macrotask turn (see watchAfterThisTurn): until then, what
  // is to be registered, and whether under the token.
  private watching = false;
  private pendingTarget?: object;
  private pendingWithToken = false;

  constructor(
    private readonly response: Response,
    private readonly call: ObservedCall,
    private readonly abandoned: FinalizationRegistry<ObservedCall>,
  ) {
    this.watch(response, true);
    setImmediate(watchAfterThisTurn, this);
  }

  /**
   * Registers what the caller may still read from for abandonment, unless the call already ended.
   * Deferred to the end of the turn the Response arrived in: most bodies are read whole within it
   * (an SDK's `json()`), and a registration costs more than its own work: taking the registrations
   * out saved 10-15 µs of CPU per plain call in bench/peers, and unregistering once the read settled
   * saved nothing, which fits V8 keeping a registered target (and the call held for it) through minor
   * collections until a full one, so that every Response was promoted (issue 11). A
   * Response the caller drops in that turn is kept by the pending Immediate until it is registered.
   */
  startWatching(): void {
    this.watching = true;
    const target = this.pendingTarget;
    this.pendingTarget = undefined;
    if (target && !this.call.ended) this.abandoned.register(target, this.call, this.pendingWithToken ? this.token : undefined);
  }

  private watch(target: object, withToken: boolean): void {
    if (this.watching) this.abandoned.register(target, this.call, withToken ? this.token : undefined);
    else {
      this.pendingTarget = target;
      this.pendingWithToken = withToken;
    }
  }

  /** Ends the Response's own registration (the one under the token). */
  private unwatchResponse(): void {
    if (this.watching) this.abandoned.unregister(this.token);
    else if (this.pendingWithToken) this.pendingTarget = undefined;
  }

  /** fetch's own body stream, tapped (tapped-body.ts), until a wrapper took over. */
  body(): ReadableStream<Uint8Array> | null {
    if (this.wrapped) return this.wrapped.body;
    if (this.tapped) return this.tapped;
    const source = protoBody.call(this.response) as ReadableStream<Uint8Array>;
    this.tapped = tapBody(source, this.call);
    // A caller may keep only the body and drop the Response (issue 8 item 13).
    this.unwatchResponse();
    this.watch(this.tapped, false);
    return this.tapped;
  }

  /** The wrapper every read goes through once one needed it (`clone()`, `blob()`, a stream's text …). */
  wrapper(): Response {
    if (this.wrapped) return this.wrapped;
    const source = protoBody.call(this.response) as ReadableStream<Uint8Array>;
    try {
      // A tapped body is read with the prototype's reader, so each chunk is shown to the span once.
      this.wrapped = wrapResponse(this.response, source, this.call, this.abandoned, this.tapped ? readOwnBody : undefined);
    } catch {
      // The Response cannot be rebuilt: the caller reads the original, unobserved; the span ends
      // when the Response is collected.
      this.wrapped = unobserved(this.response);
      return this.wrapped;
    }
    // The wrapper's body is registered now: a caller may keep only it and drop the Response.
    this.unwatchResponse();
    return this.wrapped;
  }

  readWhole(kind: WholeRead): Promise<unknown> {
    // Only a whole JSON document is read in place: a stream is seen chunk by chunk (time to first
    // chunk), and a body already handed out by `body` is read where the caller reads it.
    const own = wholeReads[kind];
    if (this.wrapped || this.tapped || !this.call.wantsWholeJson || !own)
      return (this.wrapper() as unknown as Record<WholeRead, () => Promise<unknown>>)[kind]();
    const call = this.call;
    const read = own.call(this.response);
    // From here the pending read, not the Response, tells whether the body can still end: a caller
    // may drop the Response and keep only the promise.
    this.unwatchResponse();
    this.watch(read, false);
    return read.then(
      (value) => {
        if (kind === 'json') call.onWholeJson(value);
        else if (kind === 'text') call.onWholeText(value as string);
        else {
          call.onChunk(kind === 'bytes' ? (value as Uint8Array) : new Uint8Array(value as ArrayBuffer));
          call.onEnd();
        }
        return value;
      },
      (error: unknown) => {
        if (kind === 'json' && error instanceof SyntaxError) call.onWholeJsonInvalid();
        else call.onError(error);
        throw error;
      },
    );
  }
}

function watchAfterThisTurn(observation: InPlaceObservation): void {
  observation.startWatching();
}

/** The original's own methods, unobserved (for a Response the wrapper cannot rebuild). */
function unobserved(response: Response): Response {
  return {
    get body() {
      return protoBody.call(response) as ReadableStream<Uint8Array> | null;
    },
    clone: () => proto.clone.call(response),
    blob: () => proto.blob.call(response),
    formData: () => proto.formData.call(response),
    json: () => proto.json.call(response),
    text: () => proto.text.call(response),
    arrayBuffer: () => proto.arrayBuffer.call(response),
    bytes: () => wholeReads.bytes?.call(response),
  } as unknown as Response;
}

function readOwnBody(stream: ReadableStream<Uint8Array>): ReadableStreamDefaultReader<Uint8Array> {
  return ReadableStream.prototype.getReader.call(stream) as ReadableStreamDefaultReader<Uint8Array>;
}
