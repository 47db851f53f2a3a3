import { afterEach, expect, test } from 'vitest';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';

// A fetch that is not Node's (a polyfill such as node-fetch put into globalThis.fetch before set-up)
// returns Responses that are not Node's. The hook observed them in place all the same, with own
// methods that call Node's Response.prototype on them: the caller's `json()` then rejected with
// "TypeError: Illegal invocation". Such a Response is returned untouched; its span still ends. The
// fetch classes are read once per process, at the first install: the test with a polyfill in
// globalThis.Response at that moment runs first.

const realFetch = globalThis.fetch;
let otel: InstrumentedUnderTest | undefined;
afterEach(async () => {
  await otel?.close();
  otel = undefined;
  globalThis.fetch = realFetch;
});

const completion = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini',
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};

/** node-fetch's shape: status, headers, a body, and its own readers. */
class PolyfillResponse {
  readonly status = 200;
  readonly ok = true;
  readonly headers = new Headers({ 'content-type': 'application/json' });
  readonly body = { polyfillStream: true };
  async json(): Promise<unknown> {
    return structuredClone(completion);
  }
  async text(): Promise<string> {
    return JSON.stringify(completion);
  }
}

/** node-fetch's Response as a global: its `body` getter reads its own field and checks nothing. */
class GlobalPolyfillResponse {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  get body(): unknown {
    return { polyfillStream: true };
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.#text);
  }
}

test("a polyfill Response class in globalThis.Response at set-up: Node's fetch Responses are still read as without us", async () => {
  const NodeResponse = globalThis.Response;
  const realResponse = globalThis.Response;
  globalThis.fetch = (async () => new NodeResponse(JSON.stringify(completion), { headers: { 'content-type': 'application/json' } })) as typeof fetch;
  globalThis.Response = GlobalPolyfillResponse as unknown as typeof Response;
  try {
    otel = instrumentInMemory({ providers: [{ baseUrl: 'http://llm.test', name: 'openai' }] });
    const response = await globalThis.fetch('http://llm.test/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await expect(response.json()).resolves.toEqual(completion);
    await otel.spans(1);
  } finally {
    globalThis.Response = realResponse;
  }
});

test('a polyfill fetch: the caller reads its own Response as before, and the LLM span ends', async () => {
  const returned = new PolyfillResponse();
  globalThis.fetch = (async () => returned) as unknown as typeof fetch;
  otel = instrumentInMemory({ providers: [{ baseUrl: 'http://llm.test', name: 'openai' }] });
  const response = (await globalThis.fetch('http://llm.test/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
  })) as unknown as PolyfillResponse;
  expect(response).toBe(returned);
  expect(Object.getOwnPropertyNames(response).sort()).toEqual(['body', 'headers', 'ok', 'status']);
  await expect(response.json()).resolves.toEqual(completion);
  await expect(response.text()).resolves.toBe(JSON.stringify(completion));
  const [span] = await otel.spans(1);
  expect(span?.attributes['llm_otel.hook']).toBe('fetch');
});
