import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { realisticChatRoute } from '@llm-otel/provider-stand-in';
import { standInForFile } from '../support/recorded-calls';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';

// Whatever the fetch hook does to observe a body, the Response the caller gets must behave like the
// one fetch returned: every property, every way of reading the body, headers that cannot be changed.
// Each probe runs once without the instrumentation and once with it; the two results must be equal.
// Issue 11 may replace the wrapper (observing Node's fetch at the dispatcher); these tests stay.

let otel: InstrumentedUnderTest | undefined;

const standIn = standInForFile();
beforeAll(() => {
  standIn().script(realisticChatRoute());
  standIn().script({ path: '/moved/v1/chat/completions', respond: { status: 307, headers: { location: '/v1/chat/completions' } } });
});
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

const CALLS = {
  'a JSON completion': { path: '/v1/chat/completions', stream: false },
  'an SSE stream': { path: '/v1/chat/completions', stream: true },
  'a redirected call (307)': { path: '/moved/v1/chat/completions', stream: false },
} as const;
type CallName = keyof typeof CALLS;

function call(name: CallName): Promise<Response> {
  const { path, stream } = CALLS[name];
  return fetch(`${standIn().url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Where is my order?' }] }),
  });
}

function throws(fn: () => unknown): string {
  try {
    fn();
    return 'did not throw';
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

/** Everything about a Response except its body. */
function shape(response: Response) {
  return {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    url: response.url,
    redirected: response.redirected,
    type: response.type,
    bodyUsed: response.bodyUsed,
    hasBody: response.body instanceof ReadableStream,
    toString: Object.prototype.toString.call(response),
    toStringTag: response[Symbol.toStringTag],
    isResponse: response instanceof Response,
    prototypeIsResponse: Object.getPrototypeOf(response) === Response.prototype,
    enumerableOwnKeys: Object.keys(response),
    json: JSON.stringify(response),
    headers: [...response.headers].filter(([name]) => name !== 'date'),
    headersAreHeaders: response.headers instanceof Headers,
    // A fetch Response's headers are immutable ("immutable" guard): every change throws TypeError.
    headersSet: throws(() => response.headers.set('x-added', '1')),
    headersAppend: throws(() => response.headers.append('x-added', '1')),
    headersDelete: throws(() => response.headers.delete('content-type')),
  };
}

async function readWithByobReader(response: Response): Promise<string> {
  const reader = response.body!.getReader({ mode: 'byob' });
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read(new Uint8Array(256));
    if (done) break;
    parts.push(value.slice());
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Ways of reading a body; each gets its own response. Ids are deterministic per request, so bodies compare equal. */
const READS: Record<string, (response: Response) => Promise<unknown>> = {
  text: (response) => response.text(),
  arrayBuffer: async (response) => Buffer.from(await response.arrayBuffer()).toString('utf8'),
  bytes: async (response) => Buffer.from(await response.bytes()).toString('utf8'),
  blob: async (response) => {
    const blob = await response.blob();
    return { type: blob.type, text: await blob.text(), isBlob: blob instanceof Blob };
  },
  // An SSE body is not JSON: both reject with the same SyntaxError.
  json: (response) => response.json().catch((error: Error) => error.constructor.name),
  'a default reader': async (response) => {
    const parts: Uint8Array[] = [];
    for await (const chunk of response.body!) parts.push(chunk);
    return { text: Buffer.concat(parts).toString('utf8'), chunksAreBytes: parts.every((part) => part instanceof Uint8Array) };
  },
  'a BYOB reader': readWithByobReader,
  'getReader()': async (response) => {
    const reader = response.body!.getReader();
    const parts: Uint8Array[] = [];
    for (let result = await reader.read(); !result.done; result = await reader.read()) parts.push(result.value);
    reader.releaseLock();
    return { text: Buffer.concat(parts).toString('utf8'), locked: response.body!.locked };
  },
  'pipeThrough(new TextDecoderStream())': async (response) => {
    let text = '';
    for await (const part of response.body!.pipeThrough(new TextDecoderStream())) text += part;
    return { text, locked: response.body!.locked, bodyUsed: response.bodyUsed };
  },
  'tee() and both branches': async (response) => {
    const [left, right] = response.body!.tee();
    const [a, b] = await Promise.all([new Response(left).text(), new Response(right).text()]);
    return { a, b, locked: response.body!.locked };
  },
  'a loop left after the first chunk': async (response) => {
    for await (const chunk of response.body!) return { first: chunk.byteLength > 0, locked: response.body!.locked };
    return 'no chunk';
  },
  'clone() and both copies': async (response) => {
    const copy = response.clone();
    const copyShape = shape(copy);
    const [original, cloned] = await Promise.all([response.text(), copy.text()]);
    // Not compared: whether copy.headers is the original's object. A copy made by our wrapper shares
    // the original's immutable Headers (no API makes a fresh immutable one); docs/caller-safety.md row 4.
    return { copyShape, original, cloned };
  },
  'a second read after the first': async (response) => {
    await response.text();
    return {
      bodyUsed: response.bodyUsed,
      again: await response.text().then(
        () => 'resolved',
        (error: Error) => error.constructor.name,
      ),
    };
  },
  'cancel() of the body': async (response) => {
    await response.body!.cancel();
    return { bodyUsed: response.bodyUsed, locked: response.body!.locked };
  },
};

// `shape()` reads `response.body`: a probe that looks first reads a body the caller has already
// touched; one that does not reads the Response as SDKs do (json() or the stream, nothing before),
// the paths the hook observes in place (hooks/observed-response.ts).
async function probe(name: CallName, read: (response: Response) => Promise<unknown>, looksFirst: boolean) {
  const response = await call(name);
  const before = looksFirst ? shape(response) : undefined;
  const result = await read(response);
  return { before, result, after: shape(response) };
}

describe('the Response through the fetch hook is the Response fetch returned', () => {
  for (const name of Object.keys(CALLS) as CallName[]) {
    for (const [how, read] of Object.entries(READS)) {
      for (const looksFirst of [true, false])
        test(`${name}, read with ${how}${looksFirst ? ', after a look at the Response' : ''}`, async () => {
          const without = await probe(name, read, looksFirst);
          otel = instrumentInMemory({ providers: [{ baseUrl: standIn().url, name: 'openai' }] });
          const observed = await probe(name, read, looksFirst);
          expect(observed).toEqual(without);
          // The call was still observed (a cancelled body ends its span too).
          const [span] = await otel.spans(1);
          expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
          if (how !== 'cancel() of the body' && how !== 'a loop left after the first chunk')
            expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
        });
    }
  }
});

describe('a fetch replaced by the application (its Response wraps a plain stream)', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  test('chunks the application reuses are handed on as they are and stay usable by it', async () => {
    // One buffer enqueued by every response, as a canned or caching fetch might do. A byte stream
    // takes ownership of what it is given: handing on this very buffer would detach it.
    const shared = new TextEncoder().encode(
      'data: {"id":"c","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
    );
    globalThis.fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(shared);
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    otel = instrumentInMemory();
    for (let round = 0; round < 2; round++) {
      const response = await fetch('https://api.openai.com/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [] }),
      });
      expect(await response.text()).toContain('data: [DONE]');
      expect(shared.byteLength).toBeGreaterThan(0);
    }
    expect(await otel.spans(2)).toHaveLength(2);
  });
});
