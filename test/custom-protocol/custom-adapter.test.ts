import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { fixtureRoutes, loadFixture, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { LlmInstrumentation, type ProviderAdapter } from '@llm-otel/instrumentation';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { acmeAdapter } from './acme-adapter';

// The public adapter API end to end: a protocol llm-otel does not ship, added from options with one
// adapter file (acme-adapter.ts), one fixture (test/fixtures/custom-protocol/acme-generate.json) and
// one line of registration (`adapters: [acmeAdapter]`), through both hooks against a real server.
const FIXTURES = fileURLToPath(new URL('../fixtures/custom-protocol/', import.meta.url));
const fixture = loadFixture('acme-generate', FIXTURES);
const [plainEntry, streamEntry] = fixture.entries;
const nodeFetch = globalThis.fetch; // captured before set-up, as an SDK does: only the undici hook sees it
let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest;

beforeAll(async () => {
  standIn = await startProviderStandIn();
  for (const route of fixtureRoutes(fixture)) standIn.script(route);
});
afterAll(async () => {
  await standIn.close();
});
afterEach(async () => {
  await otel?.close();
});

const acmeOptions = () => ({
  adapters: [acmeAdapter],
  providers: [{ baseUrl: standIn.url, name: 'acme' }],
  pricing: { 'acme-1': { input: 1, output: 2 } },
});

async function post(fetchFn: typeof fetch, path: string, body: string): Promise<string> {
  const response = await fetchFn(`${standIn.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return response.text();
}

describe('a protocol added from options', () => {
  for (const [hook, fetchFn] of [
    ['fetch', (input: Parameters<typeof fetch>[0], init?: RequestInit) => globalThis.fetch(input, init)],
    ['undici', nodeFetch],
  ] as const) {
    test(`a plain call through the ${hook} hook gets a full span, and the caller the exact bytes`, async () => {
      otel = instrumentInMemory(acmeOptions());
      const text = await post(fetchFn, '/acme/v1/generate', plainEntry.request.body);
      expect(text).toBe(plainEntry.response.body);
      const [span] = await otel.spans(1);
      expect(span.name).toBe('text_completion acme-1');
      expect(span.attributes).toMatchObject({
        'llm_otel.hook': hook,
        'llm_otel.protocol': 'acme.generate',
        'gen_ai.provider.name': 'acme',
        'gen_ai.operation.name': 'text_completion',
        'gen_ai.request.model': 'acme-1',
        'gen_ai.request.max_tokens': 64,
        'gen_ai.response.id': 'acme-resp-1',
        'gen_ai.response.model': 'acme-1',
        'gen_ai.response.finish_reasons': ['done'],
        'gen_ai.usage.input_tokens': 7,
        'gen_ai.usage.output_tokens': 5,
        'gen_ai.usage.cost': (7 * 1 + 5 * 2) / 1e6,
        'http.response.status_code': 200,
      });
      expect(span.attributes['llm_otel.parse_error']).toBeUndefined();
    });
  }

  test('a streamed call: every event counted, usage from the last, time to first chunk, exact bytes', async () => {
    otel = instrumentInMemory(acmeOptions());
    const text = await post(globalThis.fetch, '/stream/acme/v1/generate', streamEntry.request.body);
    expect(text).toBe(streamEntry.response.body);
    const [span] = await otel.spans(1);
    expect(span.attributes).toMatchObject({
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'acme-resp-2',
      'gen_ai.response.finish_reasons': ['done'],
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 4,
      'llm_otel.response.event_count': 5,
    });
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0);
    expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
  });

  test('without the registration line the same calls make no span', async () => {
    otel = instrumentInMemory({ providers: [{ baseUrl: standIn.url, name: 'acme' }] });
    expect(await post(globalThis.fetch, '/acme/v1/generate', plainEntry.request.body)).toBe(plainEntry.response.body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(0);
  });

  test('on a host nobody named, the adapter body check decides, and the vendor names the provider', async () => {
    otel = instrumentInMemory({ adapters: [acmeAdapter] });
    await post(globalThis.fetch, '/acme/v1/generate', JSON.stringify({ unrelated: true }));
    await post(globalThis.fetch, '/acme/v1/generate', plainEntry.request.body);
    const [span] = await otel.spans(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(otel.exporter.getFinishedSpans()).toHaveLength(1);
    expect(span.attributes['gen_ai.provider.name']).toBe('acme');
    expect(span.attributes['llm_otel.provider.compatible']).toBeUndefined();
  });

  test('an adapter that throws everywhere never reaches the caller; the span still ends', async () => {
    const fail = () => {
      throw new Error('adapter bug');
    };
    const broken: ProviderAdapter = {
      ...acmeAdapter,
      protocol: 'acme.broken',
      parseRequest: fail,
      createAccumulator: fail,
      eventCarriesSummary: fail,
      parseError: fail,
    };
    otel = instrumentInMemory({ adapters: [broken], providers: [{ baseUrl: standIn.url, name: 'acme' }] });
    expect(await post(globalThis.fetch, '/acme/v1/generate', plainEntry.request.body)).toBe(plainEntry.response.body);
    expect(await post(nodeFetch, '/stream/acme/v1/generate', streamEntry.request.body)).toBe(streamEntry.response.body);
    const spans = await otel.spans(2);
    for (const span of spans) {
      expect(span.attributes['llm_otel.protocol']).toBe('acme.broken');
      expect(span.attributes['llm_otel.parse_error']).toMatch(/request parsing failed/);
    }
  });

  test('an adapter missing a part is refused when the instrumentation is constructed', () => {
    const { parseRequest: _missing, ...incomplete } = acmeAdapter;
    expect(() => new LlmInstrumentation({ adapters: [incomplete as ProviderAdapter], enabled: false }).enable()).toThrow(/acme.generate.*parseRequest/);
    expect(() => new LlmInstrumentation({ adapters: [{} as ProviderAdapter] })).toThrow(TypeError);
  });
});
