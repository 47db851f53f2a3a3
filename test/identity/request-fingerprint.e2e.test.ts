import { createHash, createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture } from '@llm-otel/provider-stand-in';
import type { LlmInstrumentationConfig } from '@llm-otel/instrumentation';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { standInForFile } from '../support/recorded-calls';

// Issue 12 item 6 on the recorded traffic of every adapter: identical requests give identical
// fingerprints whatever the member order and whitespace; any change to a message or a parameter changes
// it; and the fingerprint is recomputed from the recorded body by the recipe of docs/request-fingerprint.md,
// with a canonicaliser written apart from the instrumentation's.
const FIXTURES = readdirSync(fileURLToPath(new URL('../fixtures/recorded/', import.meta.url))).filter((name) => name.endsWith('.json'));
const KEY = 'request-fingerprint-test-key-0123456789abcdef';
/** The documented table (docs/request-fingerprint.md), repeated here on purpose: the test checks the doc. */
const LEFT_OUT: Record<string, string[]> = {
  '/v1/chat/completions': [
    'stream',
    'stream_options',
    'user',
    'metadata',
    'store',
    'service_tier',
    'prompt_cache_key',
    'prompt_cache_retention',
    'safety_identifier',
  ],
  '/v1/responses': [
    'stream',
    'stream_options',
    'background',
    'user',
    'metadata',
    'store',
    'service_tier',
    'prompt_cache_key',
    'prompt_cache_retention',
    'safety_identifier',
  ],
  '/v1/messages': ['stream', 'metadata', 'service_tier'],
  gemini: ['labels'],
};

const stand = standInForFile();
let otel: InstrumentedUnderTest;
let ended = 0;

function start(config: LlmInstrumentationConfig = {}): void {
  otel = instrumentInMemory(config);
  ended = 0;
}
beforeAll(() => start());
afterAll(async () => {
  await otel.close();
});

/** Sends `body` (an object, or exact text) to the recorded endpoint through real fetch; the span's attributes. */
async function send(fixture: string, body: unknown, path?: string) {
  const recorded = loadFixture(fixture).entries[0]!.request;
  const url = new URL(recorded.url);
  const response = await fetch(`${stand().url}${path ?? url.pathname + url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await response.text();
  const spans = await otel.spans(++ended);
  return spans[ended - 1]!.attributes;
}

/** The recipe, written apart from the instrumentation: JCS by hand (keys by UTF-16 code units), then SHA-256 or HMAC. */
function recompute(path: string, model: string | undefined, body: Record<string, unknown>, protocol: string, key?: string): string {
  const leftOut = LEFT_OUT[path.includes(':generateContent') || path.includes(':streamGenerateContent') ? 'gemini' : path] ?? [];
  const request = Object.fromEntries(Object.entries(body).filter(([member]) => !leftOut.includes(member)));
  const jcs = (value: unknown): string =>
    Array.isArray(value)
      ? `[${value.map(jcs).join(',')}]`
      : value !== null && typeof value === 'object'
        ? `{${Object.keys(value)
            .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
            .map((member) => `${JSON.stringify(member)}:${jcs((value as Record<string, unknown>)[member])}`)
            .join(',')}}`
        : JSON.stringify(value);
  const text = jcs({ llm_otel_fingerprint: 1, protocol, model: model ?? null, request });
  return key ? createHmac('sha256', key).update(text).digest('hex') : createHash('sha256').update(text).digest('hex');
}

/** Every way to change one thing the answer depends on: each string in each message, each parameter. */
function mutations(body: Record<string, unknown>, leftOut: string[]): Array<[string, Record<string, unknown>]> {
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const [member, value] of Object.entries(body)) {
    if (leftOut.includes(member)) continue;
    if (Array.isArray(value)) {
      value.forEach((_item, index) => {
        const copy = structuredClone(body);
        const items = copy[member] as unknown[];
        items[index] = changedDeep(items[index]);
        out.push([`${member}[${index}]`, copy]);
      });
    } else out.push([member, { ...structuredClone(body), [member]: changedScalar(value) }]);
  }
  out.push(['a new parameter', { ...structuredClone(body), seed: 1234 }]);
  return out;
}

/** The first string found inside `value` with one more character, or the value changed otherwise. */
function changedDeep(value: unknown): unknown {
  if (typeof value === 'string') return `${value}.`;
  if (Array.isArray(value)) return value.length > 0 ? [changedDeep(value[0]), ...value.slice(1)] : ['x'];
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const index = entries.findIndex(([, member]) => typeof member === 'string' || (member !== null && typeof member === 'object'));
    if (index < 0) return { ...value, changed: true };
    entries[index] = [entries[index]![0], changedDeep(entries[index]![1])];
    return Object.fromEntries(entries);
  }
  return changedScalar(value);
}

function changedScalar(value: unknown): unknown {
  if (typeof value === 'number') return value + 0.5;
  if (typeof value === 'boolean') return !value;
  if (typeof value === 'string') return `${value}-2`;
  return changedDeep(value);
}

/** The body with its members in reverse order at every depth, pretty-printed. */
function reordered(body: unknown): string {
  const reverse = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reverse)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .reverse()
              .map(([k, v]) => [k, reverse(v)]),
          )
        : value;
  return JSON.stringify(reverse(body), null, 3);
}

describe.each(FIXTURES)('%s', (fixture) => {
  test('same request ⇒ same fingerprint (any member order, whitespace, stream flag); any change ⇒ another; recomputed from the recorded body', async () => {
    for (const route of fixtureRoutes(fixture)) stand().script(route);
    const recorded = loadFixture(fixture).entries[0]!.request;
    const path = new URL(recorded.url).pathname;
    const body = JSON.parse(recorded.body) as Record<string, unknown>;
    const leftOut = LEFT_OUT[path.includes(':') ? 'gemini' : path] ?? [];

    const first = await send(fixture, recorded.body);
    const fingerprint = first['llm_otel.request.fingerprint'];
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first['llm_otel.request.fingerprint_algorithm']).toBe('sha256');
    expect(fingerprint).toBe(recompute(path, first['gen_ai.request.model'] as string | undefined, body, first['llm_otel.protocol'] as string));
    expect((await send(fixture, recorded.body))['llm_otel.request.fingerprint']).toBe(fingerprint);
    expect((await send(fixture, reordered(body)))['llm_otel.request.fingerprint']).toBe(fingerprint);
    for (const member of leftOut.slice(0, 3)) {
      const tracking = { ...body, [member]: member === 'stream' ? !body.stream : { x: 'tracking-only' } };
      expect((await send(fixture, tracking))['llm_otel.request.fingerprint'], `${member} is left out`).toBe(fingerprint);
    }

    const seen = new Set([fingerprint]);
    for (const [what, changed] of mutations(body, leftOut)) {
      const value = (await send(fixture, changed))['llm_otel.request.fingerprint'];
      expect(value, `changing ${what} changes the fingerprint`).toMatch(/^[0-9a-f]{64}$/);
      expect(seen.has(value), `changing ${what} changes the fingerprint`).toBe(false);
      seen.add(value);
    }
    if (path.includes(':')) {
      // Gemini names the model in the URL: another model, another fingerprint.
      const other = await send(fixture, recorded.body, path.replace(/models\/[^:]+/, 'models/gemini-other'));
      expect(other['llm_otel.request.fingerprint']).not.toBe(fingerprint);
    }
  });
});

describe('with a fingerprint key', () => {
  test('HMAC-SHA256 under the key, said on the span with the key id; no content on the span', async () => {
    await otel.close();
    start({ fingerprint: { key: KEY, keyId: 'fp-2026' } });
    const fixture = 'openai-chat.json';
    for (const route of fixtureRoutes(fixture)) stand().script(route);
    const recorded = loadFixture(fixture).entries[0]!.request;
    const attributes = await send(fixture, recorded.body);
    expect(attributes['llm_otel.request.fingerprint_algorithm']).toBe('hmac-sha256');
    expect(attributes['llm_otel.request.fingerprint_key_id']).toBe('fp-2026');
    expect(attributes['llm_otel.request.fingerprint']).toBe(
      recompute('/v1/chat/completions', 'gpt-3.5-turbo', JSON.parse(recorded.body), 'openai.chat_completions', KEY),
    );
    expect(JSON.stringify(attributes)).not.toContain('OpenTelemetry');
  });

  test('a body over maxRequestBodyBytes: no fingerprint, and the span says why', async () => {
    await otel.close();
    // A named host: an unknown one would need the body to recognise the protocol.
    start({ maxRequestBodyBytes: 64, providers: [{ baseUrl: stand().url, name: 'openai' }] });
    const fixture = 'openai-chat.json';
    for (const route of fixtureRoutes(fixture)) stand().script(route);
    const attributes = await send(fixture, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(100) }] });
    expect(attributes['llm_otel.request.fingerprint']).toBeUndefined();
    expect(attributes['llm_otel.request.fingerprint_skipped']).toBe('body_over_bound');
    // The undici hook (undici's own request(), a body sent as a string): the same.
    const { request } = await import('undici');
    const response = await request(`${stand().url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'y'.repeat(100) }] }),
    });
    await response.body.text();
    const spans = await otel.spans(++ended);
    expect(spans[ended - 1]!.attributes['llm_otel.hook']).toBe('undici');
    expect(spans[ended - 1]!.attributes['llm_otel.request.fingerprint_skipped']).toBe('body_over_bound');
    // Not JSON: unavailable, not over the bound.
    expect((await send(fixture, 'not json'))['llm_otel.request.fingerprint_skipped']).toBe('body_unavailable');
  });

  test('a short key in code throws at construction, without echoing it', () => {
    expect(() => instrumentInMemory({ fingerprint: { key: 'short-fingerprint-key' } })).toThrow(/21 bytes; at least 32/);
  });
});
