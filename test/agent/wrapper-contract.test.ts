import { Readable } from 'node:stream';
import { diag, DiagLogLevel, SpanStatusCode, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { executeTool, invokeAgent, invokeWorkflow, wrapTool } from '@llm-otel/instrumentation';
import { collectGarbage } from '../caller-safety/support/heap';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';

// The contract of the agent API's wrappers (issue 12, "Bad input and safety"): a wrapped function
// returns and throws exactly what it would alone, keeps its `this`, arity and sync/async nature,
// and its span ends exactly once however the result is consumed.

let under: InstrumentedUnderTest | undefined;

function instrument(captureContent = false): InstrumentedUnderTest {
  under = instrumentInMemory({ captureContent });
  under.instrumentation.enable();
  return under;
}

afterEach(async () => {
  await under?.close();
  under = undefined;
});

const ended = (): ReadableSpan[] => under!.exporter.getFinishedSpans();
const named = (name: string): ReadableSpan[] => ended().filter((span) => span.name === name);

async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('sync functions', () => {
  it('returns the value, keeps this, arity, name and sync-ness, ends once', () => {
    instrument(true);
    const target = {
      factor: 3,
      multiply(this: { factor: number }, a: number, b: number) {
        return { product: a * b * this.factor };
      },
    };
    const multiply = wrapTool({ name: 'multiply' }, target.multiply);
    const bound = { factor: 3, multiply };
    expect(multiply.length).toBe(2);
    expect(multiply.name).toBe('multiply');
    const result = bound.multiply(2, 5);
    expect(result).toEqual({ product: 30 });
    const [span] = named('execute_tool multiply');
    expect(ended()).toHaveLength(1);
    expect(span.attributes['gen_ai.operation.name']).toBe('execute_tool');
    expect(span.attributes['gen_ai.tool.name']).toBe('multiply');
    expect(span.attributes['gen_ai.tool.type']).toBe('function');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('[2,5]');
    expect(span.attributes['gen_ai.tool.call.result']).toBe('{"product":30}');
  });

  it('rethrows the very error object, with status ERROR and error.type', () => {
    instrument();
    const failure = new RangeError('order id out of range');
    const lookup = wrapTool({ name: 'lookup' }, (_id: string): never => {
      throw failure;
    });
    let caught: unknown;
    try {
      lookup('A-1');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(failure);
    const [span] = named('execute_tool lookup');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(ended()).toHaveLength(1);
  });

  it('a thrown non-Error value goes through unchanged too', () => {
    instrument();
    const thrown = { reason: 'not an Error' };
    expect(() =>
      executeTool({ name: 'odd' }, () => {
        throw thrown;
      }),
    ).toThrow(expect.objectContaining(thrown) as unknown as Error);
    expect(named('execute_tool odd')[0].attributes['error.type']).toBe('_OTHER');
  });
});

describe('async functions', () => {
  it('returns the same promise object and ends the span when it settles', async () => {
    instrument(true);
    const promise = Promise.resolve({ status: 'shipped' });
    const returned = executeTool({ name: 'status', callId: 'call_1', arguments: { order: 'A-1' } }, () => promise);
    expect(returned).toBe(promise);
    expect(await returned).toEqual({ status: 'shipped' });
    await settle();
    const [span] = named('execute_tool status');
    expect(span.attributes['gen_ai.tool.call.id']).toBe('call_1');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('{"order":"A-1"}');
    expect(span.attributes['gen_ai.tool.call.result']).toBe('{"status":"shipped"}');
  });

  it('a wrapped async function still looks async; its rejection is the same error', async () => {
    instrument();
    const failure = new Error('backend down');
    async function fetchOrder(id: string): Promise<string> {
      await new Promise((resolve) => setImmediate(resolve));
      if (id === 'bad') throw failure;
      return id;
    }
    const wrapped = wrapTool({ name: 'fetch_order' }, fetchOrder);
    expect(wrapped.constructor.name).toBe('AsyncFunction');
    expect(Object.prototype.toString.call(wrapped)).toBe('[object AsyncFunction]');
    expect(wrapped.length).toBe(1);
    await expect(wrapped('ok')).resolves.toBe('ok');
    await expect(wrapped('bad')).rejects.toBe(failure);
    await settle();
    const spans = named('execute_tool fetch_order');
    expect(spans).toHaveLength(2);
    expect(spans.map((span) => span.status.code).sort()).toEqual([SpanStatusCode.UNSET, SpanStatusCode.ERROR].sort());
  });

  it('the active span inside is the tool span, under the agent and workflow spans', async () => {
    instrument();
    let activeInTool: string | undefined;
    await invokeAgent({ name: 'refunds', id: 'agent-7', conversationId: 'conv-1' }, () =>
      invokeWorkflow({ name: 'refund_ticket' }, async () => {
        await executeTool({ name: 'lookup' }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          activeInTool = trace.getActiveSpan()?.spanContext().spanId;
        });
      }),
    );
    await settle();
    const agent = named('invoke_agent refunds')[0];
    const workflow = named('invoke_workflow refund_ticket')[0];
    const tool = named('execute_tool lookup')[0];
    expect(activeInTool).toBe(tool.spanContext().spanId);
    expect(tool.parentSpanContext?.spanId).toBe(workflow.spanContext().spanId);
    expect(workflow.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'refunds',
      'gen_ai.agent.id': 'agent-7',
      'gen_ai.conversation.id': 'conv-1',
    });
    expect(workflow.attributes).toMatchObject({ 'gen_ai.workflow.name': 'refund_ticket', 'gen_ai.conversation.id': 'conv-1' });
    expect(tool.attributes['gen_ai.conversation.id']).toBe('conv-1');
  });
});

describe('generators', () => {
  function* countTo(limit: number): Generator<number, string, undefined> {
    for (let n = 1; n <= limit; n++) yield n;
    return 'done';
  }

  it('returns the same generator object; the span ends after the last step, once', () => {
    instrument();
    const wrapped = wrapTool({ name: 'count' }, countTo);
    expect(Object.prototype.toString.call(wrapped)).toBe('[object GeneratorFunction]');
    const generator = wrapped(3);
    expect(Object.prototype.toString.call(generator)).toBe('[object Generator]');
    expect(generator.next()).toEqual({ value: 1, done: false });
    expect(named('execute_tool count')).toHaveLength(0);
    expect([...generator]).toEqual([2, 3]);
    expect(named('execute_tool count')).toHaveLength(1);
    expect(generator.next()).toEqual({ value: undefined, done: true });
    expect(named('execute_tool count')).toHaveLength(1);
  });

  it('runs every step in the span context', () => {
    instrument();
    const seen: (string | undefined)[] = [];
    const steps = executeTool({ name: 'steps' }, () =>
      (function* () {
        seen.push(trace.getActiveSpan()?.spanContext().spanId);
        yield 1;
        seen.push(trace.getActiveSpan()?.spanContext().spanId);
      })(),
    );
    expect([...steps]).toEqual([1]);
    const [span] = named('execute_tool steps');
    expect(seen).toEqual([span.spanContext().spanId, span.spanContext().spanId]);
  });

  it('ends on return() and on an error thrown from inside, rethrown unchanged', () => {
    instrument();
    const early = executeTool({ name: 'early' }, () => countTo(5));
    early.next();
    expect(early.return('stopped')).toEqual({ value: 'stopped', done: true });
    expect(named('execute_tool early')).toHaveLength(1);

    const failure = new TypeError('bad row');
    const failing = executeTool({ name: 'failing' }, () =>
      (function* () {
        yield 1;
        throw failure;
      })(),
    );
    failing.next();
    expect(() => failing.next()).toThrow(failure);
    const [span] = named('execute_tool failing');
    expect(span.attributes['error.type']).toBe('TypeError');
    expect(ended()).toHaveLength(2);
  });

  it('an async generator broken out of early ends its span once', async () => {
    instrument();
    async function* pages(): AsyncGenerator<number> {
      for (let page = 1; ; page++) {
        await new Promise((resolve) => setImmediate(resolve));
        yield page;
      }
    }
    const wrapped = wrapTool({ name: 'pages' }, pages);
    expect(Object.prototype.toString.call(wrapped)).toBe('[object AsyncGeneratorFunction]');
    const read: number[] = [];
    for await (const page of wrapped()) {
      read.push(page);
      if (page === 3) break;
    }
    await settle();
    expect(read).toEqual([1, 2, 3]);
    expect(named('execute_tool pages')).toHaveLength(1);
  });

  it('a generator abandoned mid-way ends its span when collected', async () => {
    instrument();
    (() => {
      const generator = executeTool({ name: 'abandoned' }, () => countTo(10));
      generator.next();
    })();
    const deadline = Date.now() + 10_000;
    while (named('execute_tool abandoned').length === 0 && Date.now() < deadline) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [span] = named('execute_tool abandoned');
    expect(span).toBeDefined();
    expect(span.attributes['llm_otel.response.incomplete']).toBe(true);
  });
});

describe('nesting and shared results', () => {
  it("an agent returning its tool's generator: both spans end after the last step, the tool's first", () => {
    instrument();
    function* rows() {
      yield 1;
      yield 2;
    }
    const generator = invokeAgent({ name: 'outer' }, () => executeTool({ name: 'inner' }, rows));
    expect(generator.next().value).toBe(1);
    expect(ended()).toHaveLength(0);
    expect([...generator]).toEqual([2]);
    expect(ended().map((span) => span.name)).toEqual(['execute_tool inner', 'invoke_agent outer']);
  });

  it('the same iterable returned by every call is watched a bounded number of times', async () => {
    instrument();
    const cached = { async *[Symbol.asyncIterator]() {} };
    for (let call = 0; call < 100; call++) executeTool({ name: 'cached' }, () => cached);
    // The calls past the bound end at once; the first eight when the iterable is read (every layer
    // watches the iterator the one beneath it hands out).
    expect(named('execute_tool cached')).toHaveLength(92);
    for await (const _item of cached) {
      /* empty */
    }
    await settle();
    expect(named('execute_tool cached')).toHaveLength(100);
    expect(Object.getOwnPropertySymbols(cached)).toEqual([Symbol.asyncIterator]);
  });
});

describe('streams and async iterables', () => {
  const chunks = () =>
    new ReadableStream<string>({
      start(controller) {
        controller.enqueue('a');
        controller.enqueue('b');
        controller.close();
      },
    });

  it('a ReadableStream read with getReader ends the span at its end; the stream is the same object', async () => {
    instrument();
    const stream = chunks();
    const returned = executeTool({ name: 'reader' }, () => stream);
    expect(returned).toBe(stream);
    const reader = returned.getReader();
    expect((await reader.read()).value).toBe('a');
    await settle();
    expect(named('execute_tool reader')).toHaveLength(0);
    await reader.read();
    expect((await reader.read()).done).toBe(true);
    await settle();
    expect(named('execute_tool reader')).toHaveLength(1);
  });

  it('a ReadableStream consumed with for await, or cancelled, ends once', async () => {
    instrument();
    const read: string[] = [];
    for await (const chunk of executeTool({ name: 'iterated' }, chunks)) read.push(chunk);
    await executeTool({ name: 'cancelled' }, chunks).cancel();
    await settle();
    expect(read).toEqual(['a', 'b']);
    expect(named('execute_tool iterated')).toHaveLength(1);
    expect(named('execute_tool cancelled')).toHaveLength(1);
  });

  it('an async iterable (not an iterator itself) ends when its iterator finishes', async () => {
    instrument();
    const iterable = {
      async *[Symbol.asyncIterator]() {
        yield 'x';
        yield 'y';
      },
    };
    const returned = executeTool({ name: 'iterable' }, () => iterable);
    expect(returned).toBe(iterable);
    expect(named('execute_tool iterable')).toHaveLength(0);
    const read: string[] = [];
    for await (const item of returned) read.push(item);
    await settle();
    expect(read).toEqual(['x', 'y']);
    expect(named('execute_tool iterable')).toHaveLength(1);
  });

  it('a Node stream ends the span at its end, and an error is not swallowed', async () => {
    instrument();
    const readable = executeTool({ name: 'node_stream' }, () => Readable.from(['1', '2']));
    const read: string[] = [];
    for await (const chunk of readable) read.push(String(chunk));
    await settle();
    expect(read).toEqual(['1', '2']);
    expect(named('execute_tool node_stream')).toHaveLength(1);

    const failure = new Error('disk gone');
    const failing = executeTool({ name: 'node_stream_error' }, () => new Readable({ read() {} }));
    // We add no 'error' listener: the application's own is the only one.
    expect(failing.listenerCount('error')).toBe(0);
    const errored = new Promise((resolve) => failing.once('error', resolve));
    failing.destroy(failure);
    expect(await errored).toBe(failure);
    await settle();
    const [span] = named('execute_tool node_stream_error');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('callback style', () => {
  it('ends when the tool calls back; the callback gets the same this and arguments', async () => {
    instrument(true);
    function readRecord(id: string, done: (error: Error | null, record?: { id: string }) => void): void {
      setImmediate(() => done(null, { id }));
    }
    const wrapped = wrapTool({ name: 'read_record', callback: true }, readRecord);
    expect(wrapped.length).toBe(2);
    const record = await new Promise((resolve, reject) => wrapped('r-1', (error, value) => (error ? reject(error) : resolve(value))));
    expect(record).toEqual({ id: 'r-1' });
    const [span] = named('execute_tool read_record');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('r-1');
    expect(span.attributes['gen_ai.tool.call.result']).toBe('{"id":"r-1"}');
  });

  it("the caller's callback runs in the caller's context, not the ended tool span's", async () => {
    instrument();
    const lookup = wrapTool({ name: 'ctx_lookup', callback: true }, (done: (error: null) => void) => {
      setTimeout(() => done(null), 1);
    });
    const activeInCallback = await invokeAgent({ name: 'caller' }, () => {
      const agentSpan = trace.getActiveSpan()?.spanContext().spanId;
      return new Promise<[string | undefined, string | undefined]>((resolve) =>
        lookup(() => resolve([agentSpan, trace.getActiveSpan()?.spanContext().spanId])),
      );
    });
    expect(activeInCallback[1]).toBe(activeInCallback[0]);
  });

  it('a frozen iterator cannot take our methods: its span ends at once and it works unchanged', () => {
    instrument();
    const frozen = Object.freeze([1, 2][Symbol.iterator]());
    expect(executeTool({ name: 'frozen' }, () => frozen)).toBe(frozen);
    expect(named('execute_tool frozen')).toHaveLength(1);
  });

  it('an error-first callback fails the span with the same error, and a second call-back ends nothing twice', async () => {
    instrument();
    const failure = new Error('locked');
    const wrapped = wrapTool({ name: 'twice', callback: true }, (done: (error: Error | null) => void) => {
      done(failure);
      done(null);
    });
    const received: (Error | null)[] = [];
    wrapped((error) => received.push(error));
    expect(received).toEqual([failure, null]);
    const spans = named('execute_tool twice');
    expect(spans).toHaveLength(1);
    expect(spans[0].status.code).toBe(SpanStatusCode.ERROR);
  });
});

describe('exactly once, whatever the caller does', () => {
  it('no span is ended twice (the SDK would warn) across every shape consumed past its end', async () => {
    const warnings: string[] = [];
    const record = (message: string) => warnings.push(message);
    diag.setLogger({ error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    try {
      instrument();
      const generator = executeTool({ name: 'g' }, () => [1, 2][Symbol.iterator]());
      [...generator];
      generator.next();
      generator.next();
      const promise = executeTool({ name: 'p' }, async () => 1);
      await promise;
      await promise;
      const stream = executeTool({ name: 's' }, () => new ReadableStream({ start: (controller) => controller.close() }));
      const reader = stream.getReader();
      await reader.read();
      await reader.read();
      await reader.cancel();
      const done = wrapTool({ name: 'c', callback: true }, (callback: (error: null) => void) => {
        callback(null);
        callback(null);
      });
      done(() => undefined);
      await settle();
      expect(
        ended()
          .map((span) => span.name)
          .sort(),
      ).toEqual(['execute_tool c', 'execute_tool g', 'execute_tool p', 'execute_tool s']);
      expect(warnings).toEqual([]);
    } finally {
      diag.disable();
    }
  });

  it('a thenable that is not a promise is returned untouched: its then is never called by us', () => {
    instrument();
    let thenCalls = 0;
    // A lazy query builder runs its query when `then` is called: calling it would run the query.
    // biome-ignore lint/suspicious/noThenProperty: a thenable the wrapper must not call, on purpose.
    const lazy = { then: () => void thenCalls++ };
    expect(executeTool({ name: 'lazy' }, () => lazy)).toBe(lazy);
    expect(thenCalls).toBe(0);
    expect(named('execute_tool lazy')).toHaveLength(1);
  });

  it('a ReadableStream dropped unread ends its span when collected', async () => {
    instrument();
    (() => {
      executeTool({ name: 'dropped_stream' }, () => new ReadableStream({ pull: (controller) => controller.enqueue('x') }));
    })();
    const deadline = Date.now() + 10_000;
    while (named('execute_tool dropped_stream').length === 0 && Date.now() < deadline) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(named('execute_tool dropped_stream')[0]?.attributes['llm_otel.response.incomplete']).toBe(true);
  });

  it('a generator method keeps its this', () => {
    instrument();
    class Catalogue {
      items = ['a', 'b'];
      *list(this: Catalogue) {
        yield* this.items;
      }
    }
    Catalogue.prototype.list = wrapTool({ name: 'list' }, Catalogue.prototype.list);
    expect([...new Catalogue().list()]).toEqual(['a', 'b']);
    expect(named('execute_tool list')).toHaveLength(1);
  });
});

describe('telemetry never reaches the caller', () => {
  it('a tracer that throws leaves the function running bare', async () => {
    under = instrumentInMemory();
    const broken: Tracer = {
      startSpan: () => {
        throw new Error('tracer broken');
      },
      startActiveSpan: () => {
        throw new Error('tracer broken');
      },
    };
    const provider: TracerProvider = { getTracer: () => broken };
    under.instrumentation.setTracerProvider(provider);
    under.instrumentation.enable();
    expect(executeTool({ name: 'still_works' }, () => 42)).toBe(42);
    await expect(invokeAgent({ name: 'still_works' }, async () => 'ok')).resolves.toBe('ok');
  });

  it('content that cannot be serialised is not recorded and does not throw', () => {
    instrument(true);
    const circular: { self?: unknown } = {};
    circular.self = circular;
    const hostile = {
      toJSON() {
        throw new Error('toJSON exploded');
      },
    };
    expect(executeTool({ name: 'circular', arguments: circular }, () => hostile)).toBe(hostile);
    const [span] = named('execute_tool circular');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBe('"[not serialisable]"');
  });

  it('options that are not objects at run time (plain JavaScript callers) leave the function running bare', () => {
    instrument();
    const missing = undefined as unknown as { name: string };
    expect(executeTool(missing, () => 'still runs')).toBe('still runs');
    expect(invokeAgent(null as unknown as { name: string }, () => 7)).toBe(7);
  });

  it('wrapTool refuses a non-function or a missing name when wrapping, not at every call', () => {
    expect(() => wrapTool({ name: 'x' }, 'not a function' as unknown as () => void)).toThrow(TypeError);
    expect(() => wrapTool({} as { name: string }, () => undefined)).toThrow(/options.name/);
  });

  it('without content capture, no arguments or results are recorded', () => {
    instrument(false);
    executeTool({ name: 'private', arguments: { ssn: '078-05-1120' } }, () => ({ balance: 10 }));
    const [span] = named('execute_tool private');
    expect(span.attributes['gen_ai.tool.call.arguments']).toBeUndefined();
    expect(span.attributes['gen_ai.tool.call.result']).toBeUndefined();
  });
});
