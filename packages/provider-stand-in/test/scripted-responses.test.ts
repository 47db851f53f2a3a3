import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { fixtureRoutes, loadFixture, startProviderStandIn, type ProviderStandIn, type ScriptedResponse, type ScriptedRoute } from '@llm-otel/provider-stand-in';

/** What a route answers to its first request. */
function firstAnswer(route: ScriptedRoute): ScriptedResponse {
  const { respond } = route;
  return typeof respond === 'function' ? respond({ method: 'POST', path: '/', headers: {}, body: '' }) : respond;
}

/** The raw bytes and headers of a response, without fetch's transparent decompression. */
function rawGet(url: string): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { method: 'POST' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('scripted responses', () => {
  let standIn: ProviderStandIn;
  beforeEach(async () => {
    standIn = await startProviderStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });

  it('routes: newest first, `times` limits a route, methods filter, unmatched requests get an OpenAI-shaped 404', async () => {
    standIn.script({ path: '/v1/models', respond: { body: 'old' } });
    standIn.script({ path: '/v1/models', times: 2, respond: (request) => ({ body: `new ${request.path}` }) });
    standIn.script({ method: 'DELETE', path: /^\/v1\/models\//, respond: { status: 204 } });

    const text = (path: string, init?: RequestInit) => fetch(`${standIn.url}${path}`, init).then((r) => r.text());
    expect(await text('/v1/models')).toBe('new /v1/models');
    expect(await text('/v1/models?limit=5')).toBe('new /v1/models?limit=5');
    expect(await text('/v1/models')).toBe('old');
    expect((await fetch(`${standIn.url}/v1/models/gpt-4o`, { method: 'DELETE' })).status).toBe(204);

    const missing = await fetch(`${standIn.url}/v1/models/gpt-4o`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: 'stand-in: no route for GET /v1/models/gpt-4o' } });

    expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/models',
      'GET /v1/models?limit=5',
      'GET /v1/models',
      'DELETE /v1/models/gpt-4o',
      'GET /v1/models/gpt-4o',
    ]);
  });

  it('gzip: content-encoding gzip, decoded transparently by fetch, compressed on the wire', async () => {
    const body = JSON.stringify({ text: 'hello '.repeat(2000) });
    standIn.script({ path: '/gz', respond: { headers: { 'content-type': 'application/json' }, body, gzip: true } });

    const viaFetch = await fetch(`${standIn.url}/gz`, { method: 'POST' });
    expect(await viaFetch.text()).toBe(body);

    const raw = await rawGet(`${standIn.url}/gz`);
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.body.length).toBeLessThan(body.length / 10);
    expect(gunzipSync(raw.body).toString('utf8')).toBe(body);
  });

  it('gzip keeps SSE events separate on the wire (flushed per chunk)', async () => {
    const chunks = ['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: [DONE]\n\n'];
    standIn.script({
      path: '/sse',
      respond: { headers: { 'content-type': 'text/event-stream' }, chunks, gzip: true, chunkDelayMs: 30 },
    });
    const response = await fetch(`${standIn.url}/sse`, { method: 'POST' });
    const decoder = new TextDecoder();
    const reads: string[] = [];
    for await (const chunk of response.body!) reads.push(decoder.decode(chunk, { stream: true }));
    expect(reads.join('')).toBe(chunks.join(''));
    expect(reads.length).toBeGreaterThanOrEqual(chunks.length);
  });

  it('destroyAfterChunks: fetch gets the first events, then the stream fails', async () => {
    const { response } = loadFixture('openai-chat-stream-no-usage').entries[0];
    const recorded = firstAnswer(fixtureRoutes('openai-chat-stream-no-usage')[0]);
    standIn.script({ path: '/v1/chat/completions', respond: { ...recorded, destroyAfterChunks: 3 } });

    const result = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST' });
    expect(result.status).toBe(200);
    const decoder = new TextDecoder();
    let received = '';
    const reading = (async () => {
      for await (const chunk of result.body!) received += decoder.decode(chunk, { stream: true });
    })();
    await expect(reading).rejects.toThrow(/terminated/);
    expect(received).toBe(recorded.chunks!.slice(0, 3).join(''));
    expect(response.body.startsWith(received)).toBe(true);
  });

  it('destroyAfterChunks: the real openai SDK stream throws instead of ending quietly', async () => {
    const [route] = fixtureRoutes('openai-chat-stream-include-usage');
    standIn.script({ ...route, respond: { ...firstAnswer(route), destroyAfterChunks: 4 } });
    const client = new OpenAI({ baseURL: `${standIn.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [], stream: true });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })(),
    ).rejects.toThrow();
    expect(seen).toHaveLength(4);
  });

  it('hang: never answers; the client gives up with its own timeout and the stand-in stays usable', async () => {
    standIn.script({ path: '/hang', respond: { hang: true } });
    standIn.script({ path: '/ok', respond: { body: 'ok' } });
    const started = Date.now();
    await expect(fetch(`${standIn.url}/hang`, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await (await fetch(`${standIn.url}/ok`)).text()).toBe('ok');
  });

  it('stops a long stream when the client aborts, and close() does not wait for open streams', async () => {
    const chunks = Array.from({ length: 10_000 }, (_, index) => `data: ${index}\n\n`);
    standIn.script({ path: '/long', respond: { headers: { 'content-type': 'text/event-stream' }, chunks, chunkDelayMs: 5 } });
    const controller = new AbortController();
    const response = await fetch(`${standIn.url}/long`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();

    const open = await fetch(`${standIn.url}/long`);
    await open.body!.getReader().read();
    const closing = Date.now();
    await standIn.close();
    expect(Date.now() - closing).toBeLessThan(1000);
  });

  it('a throwing respond function becomes a 500 that names the route', async () => {
    standIn.script({
      path: '/boom',
      respond: () => {
        throw new Error('scripted failure');
      },
    });
    const response = await fetch(`${standIn.url}/boom`);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('scripted failure');
  });
});
