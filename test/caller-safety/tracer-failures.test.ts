import { trace, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as undici from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { loadOpenAI } from '../support/sdk-versions';
import { watchProcessFailures, type ProcessFailures } from './support/process-failures';

// Our code on the call path fails in every way we can force from outside: the tracer, the span,
// the span processor, and (for the dispatcher hook) the tap itself. The caller gets exactly what
// it gets without the instrumentation, and nothing is thrown, rejected or left unhandled.

type OpenAIClient = InstanceType<Awaited<ReturnType<typeof loadOpenAI>>['OpenAI']>;

let standIn: ProviderStandIn;
let earlyClient: OpenAIClient;
let makeClient: () => OpenAIClient;
let baseline: CallResults;
let instrumentation: LlmInstrumentation | undefined;
let failures: ProcessFailures;

interface CallResults {
  lateCompletion: unknown;
  lateStreamText: string;
  earlyCompletion: unknown;
  earlyStreamText: string;
  undiciBody: unknown;
  plainFetchBody: unknown;
}

const messages = [{ role: 'user' as const, content: 'Where is my order 1234?' }];

/** The same LLM calls every way an application makes them: SDK clients made after and before set-up, undici, fetch. */
async function llmCalls(): Promise<CallResults> {
  const late = makeClient();
  const streamText = async (client: OpenAIClient) => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  };
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages, stream: false });
  const viaUndici = await undici.request(`${standIn.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const viaFetch = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return {
    lateCompletion: await late.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    lateStreamText: await streamText(late),
    earlyCompletion: await earlyClient.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    earlyStreamText: await streamText(earlyClient),
    undiciBody: await viaUndici.body.json(),
    plainFetchBody: await viaFetch.json(),
  };
}

function instrumentWith(provider: TracerProvider): LlmInstrumentation {
  instrumentation = new LlmInstrumentation({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  instrumentation.setTracerProvider(provider);
  return instrumentation;
}

/** Lets span ends (scheduled after the caller's last read) and their failures run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Span ends of streams without usage wait for the token estimate (the tokenizer loads in a worker first). */
async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await settle();
}

beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat', recordRequests: false });
  const { OpenAI } = await loadOpenAI();
  makeClient = () => new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
  // Captures fetch before any instrumentation: only the dispatcher hook sees its calls.
  earlyClient = makeClient();
  baseline = await llmCalls();
  expect(baseline.lateStreamText.length).toBeGreaterThan(0);
});

afterAll(async () => {
  await standIn.close();
});

afterEach(() => {
  instrumentation?.disable();
  instrumentation = undefined;
  trace.disable();
  failures?.stop();
});

describe('the tracer fails', () => {
  test('a tracer whose startSpan throws: every call returns what it returns without us', async () => {
    failures = watchProcessFailures();
    let attempts = 0;
    const tracer = {
      startSpan() {
        attempts += 1;
        throw new Error('startSpan failed');
      },
      startActiveSpan() {
        throw new Error('startActiveSpan failed');
      },
    } as unknown as Tracer;
    instrumentWith({ getTracer: () => tracer });
    expect(await llmCalls()).toEqual(baseline);
    await settle();
    // At least once per call; a call the fetch hook could not start is offered to the dispatcher
    // hook, which tries again.
    expect(attempts).toBeGreaterThanOrEqual(6);
    expect(failures.errors).toEqual([]);
  });

  test('spans whose every method throws (attributes, status, name, end)', async () => {
    failures = watchProcessFailures();
    let ended = 0;
    const broken = new Proxy({} as Span, {
      get(_target, name) {
        if (name === 'then') return undefined;
        if (name === 'spanContext') return () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 });
        return () => {
          if (name === 'end') ended += 1;
          throw new Error(`span.${String(name)} failed`);
        };
      },
    });
    instrumentWith({ getTracer: () => ({ startSpan: () => broken, startActiveSpan: () => undefined }) as unknown as Tracer });
    expect(await llmCalls()).toEqual(baseline);
    await eventually(() => ended >= 6);
    // end() was attempted for every call (once in the normal path, once more in the fallback).
    expect(ended).toBeGreaterThanOrEqual(6);
    expect(failures.errors).toEqual([]);
  });

  test('span processors whose onStart or onEnd throw', async () => {
    for (const hook of ['onStart', 'onEnd'] as const) {
      failures = watchProcessFailures();
      let calls = 0;
      const throwing: SpanProcessor = {
        onStart() {
          if (hook === 'onStart') {
            calls += 1;
            throw new Error('onStart failed');
          }
        },
        onEnd() {
          if (hook === 'onEnd') {
            calls += 1;
            throw new Error('onEnd failed');
          }
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      };
      const exporter = new InMemorySpanExporter();
      const provider = new BasicTracerProvider({ spanProcessors: [throwing, new SimpleSpanProcessor(exporter)] });
      instrumentWith(provider);
      expect(await llmCalls()).toEqual(baseline);
      await eventually(() => calls >= 6);
      expect(calls).toBeGreaterThanOrEqual(6);
      // A throwing onStart means no span at all; a throwing onEnd after the in-memory processor would
      // still have run, but ours is first, so neither processor saw a finished span.
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      expect(failures.errors).toEqual([]);
      instrumentation?.disable();
      failures.stop();
    }
  });
});

describe('the dispatcher hook fails inside its own tap', () => {
  test('reading the response headers throws inside our tap: undici and the caller never see it', async () => {
    failures = watchProcessFailures();
    const previous = undici.getGlobalDispatcher();
    const trap = new HeaderTrapDispatcher(new undici.Agent());
    undici.setGlobalDispatcher(trap);
    try {
      const exporter = new InMemorySpanExporter();
      instrumentWith(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
      expect(await llmCalls()).toEqual(baseline);
      await settle();
      // Our tap reads the headers before the caller's handler does, so each dispatched LLM call hit
      // the forced error: the early client's two calls and undici.request (fetch-hooked calls are
      // recorded by the fetch hook, and the dispatcher hook stands aside for them).
      expect(trap.forcedErrors).toBe(3);
      expect(failures.errors).toEqual([]);
    } finally {
      instrumentation?.disable();
      undici.setGlobalDispatcher(previous);
      await trap.close();
    }
  });
});

type Handler = Record<string, (...args: unknown[]) => unknown>;

/**
 * A global dispatcher installed before the instrumentation, so the instrumentation wraps it. It
 * hands every handler response headers that throw when the instrumentation's tap (and only it)
 * reads them; the caller's own handler, reading after the tap, gets the real headers.
 */
class HeaderTrapDispatcher extends undici.Dispatcher {
  forcedErrors = 0;

  constructor(private readonly target: undici.Agent) {
    super();
  }

  override dispatch(options: undici.Dispatcher.DispatchOptions, handler: undici.Dispatcher.DispatchHandler): boolean {
    const original = handler as unknown as Handler;
    const forwarded: Handler = {};
    for (const name of Object.keys(methodsOf(original))) forwarded[name] = (...args) => original[name](...args);
    if (original.onResponseStart) {
      forwarded.onResponseStart = (controller, status, headers, message) =>
        original.onResponseStart(
          controller,
          status,
          this.trapFirstRead(headers as object, (key) => key === 'content-type'),
          message,
        );
    }
    if (original.onHeaders) {
      forwarded.onHeaders = (status, rawHeaders, resume, text) =>
        original.onHeaders(
          status,
          this.trapFirstRead(rawHeaders as object, (key) => /^\d+$/.test(key)),
          resume,
          text,
        );
    }
    return this.target.dispatch(options, forwarded as unknown as undici.Dispatcher.DispatchHandler);
  }

  override close(): Promise<void> {
    return this.target.close();
  }

  override destroy(): Promise<void> {
    return this.target.destroy();
  }

  private trapFirstRead<T extends object>(value: T, trapped: (key: string) => boolean): T {
    let thrown = false;
    return new Proxy(value, {
      get: (target, key, receiver) => {
        if (!thrown && typeof key === 'string' && trapped(key) && readByOurTap()) {
          thrown = true;
          this.forcedErrors += 1;
          throw new Error('forced failure while reading response headers');
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }
}

function readByOurTap(): boolean {
  return /undici-handlers/.test(new Error().stack ?? '');
}

/** A handler's methods, own or inherited (undici's handlers are class instances). */
function methodsOf(handler: Handler): Handler {
  const methods: Handler = {};
  for (let object: object | null = handler; object && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    for (const name of Object.getOwnPropertyNames(object)) {
      if (name !== 'constructor' && name.startsWith('on') && typeof handler[name] === 'function' && !(name in methods)) methods[name] = handler[name];
    }
  }
  return methods;
}
