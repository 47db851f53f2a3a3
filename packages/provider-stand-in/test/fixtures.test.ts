import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { fixtureRoutes, loadFixture, sseEvents, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';

describe('replaying recorded provider traffic', () => {
  let standIn: ProviderStandIn;
  beforeEach(async () => {
    standIn = await startProviderStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });

  it('the real openai SDK gets exactly the recorded chat completion', async () => {
    const fixture = loadFixture('openai-chat');
    for (const route of fixtureRoutes('openai-chat')) standIn.script(route);
    const client = new OpenAI({ baseURL: `${standIn.url}/v1`, apiKey: 'test', maxRetries: 0 });
    const recordedRequest = JSON.parse(fixture.entries[0].request.body);

    const completion = await client.chat.completions.create(recordedRequest);

    expect(completion).toEqual(JSON.parse(fixture.entries[0].response.body));
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(JSON.parse(standIn.requests[0].body)).toEqual(recordedRequest);
    expect(standIn.requests[0].headers['user-agent']).toMatch(/^OpenAI\/JS 6\./);
  });

  it('streams a recorded SSE body byte for byte, one event per chunk, with the recorded content-type', async () => {
    const fixture = loadFixture('openai-chat-stream-no-usage.json');
    const recorded = fixture.entries[0].response;
    for (const route of fixtureRoutes(fixture, { chunkDelayMs: 2 })) standIn.script(route);

    const response = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: fixture.entries[0].request.body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(recorded.headers['content-type']);
    expect(response.headers.get('openai-version')).toBe('2020-10-01');
    const reads: Uint8Array[] = [];
    for await (const chunk of response.body!) reads.push(chunk);
    const received = Buffer.concat(reads);

    expect(received.equals(Buffer.from(recorded.body, 'utf8'))).toBe(true);
    // With a pause between events, each event is its own read: the client sees a real stream.
    const events = sseEvents(recorded.body);
    expect(events.length).toBeGreaterThan(10);
    expect(reads.length).toBeGreaterThan(events.length / 2);
  });

  it('answers several recordings on one path in recorded order, then keeps answering the last', async () => {
    const fixture = loadFixture('openai-chat-stream-include-usage');
    expect(fixture.entries).toHaveLength(2);
    for (const route of fixtureRoutes('openai-chat-stream-include-usage')) standIn.script(route);
    const post = () => fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', body: '{}' }).then((r) => r.text());

    expect(await post()).toBe(fixture.entries[0].response.body);
    expect(await post()).toBe(fixture.entries[1].response.body);
    expect(await post()).toBe(fixture.entries[1].response.body);
  });

  it('matches the recorded query string (Anthropic ?beta=true) and non-OpenAI paths (Gemini)', async () => {
    for (const route of fixtureRoutes('anthropic-messages-thinking')) standIn.script(route);
    for (const route of fixtureRoutes('gemini-generate-content')) standIn.script(route);
    const thinking = loadFixture('anthropic-messages-thinking').entries[0].response.body;
    const gemini = loadFixture('gemini-generate-content').entries[0].response;

    expect(await (await fetch(`${standIn.url}/v1/messages?beta=true`, { method: 'POST' })).text()).toBe(thinking);
    expect((await fetch(`${standIn.url}/v1/messages`, { method: 'POST' })).status).toBe(404);
    const response = await fetch(`${standIn.url}/v1beta/models/gemini-1.5-flash:generateContent`, { method: 'POST' });
    expect(response.headers.get('content-type')).toBe(gemini.headers['content-type']);
    expect(await response.text()).toBe(gemini.body);
  });

  it('sseEvents keeps every byte and splits after each blank line', () => {
    const body = 'event: a\ndata: 1\n\ndata: 2\r\n\r\ndata: [DONE]\n\ntrailing';
    const events = sseEvents(body);
    expect(events).toEqual(['event: a\ndata: 1\n\n', 'data: 2\r\n\r\n', 'data: [DONE]\n\n', 'trailing']);
    expect(events.join('')).toBe(body);
  });

  it('reads recordings from an override folder and says which file is missing', () => {
    expect(() => loadFixture('openai-chat', '/nonexistent/recordings')).toThrow(/no recorded fixture \/nonexistent\/recordings\/openai-chat\.json/);
  });
});
