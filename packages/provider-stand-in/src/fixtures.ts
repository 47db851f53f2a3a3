import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RecordedRequest, ScriptedResponse, ScriptedRoute } from './types';

/** One recorded exchange of test/fixtures/recorded/*.json (see the README there). */
export interface RecordedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

export interface RecordedFixture {
  source?: string;
  recording?: string;
  entries: RecordedExchange[];
}

export interface FixtureOptions {
  /** The folder of the recordings; default LLM_OTEL_FIXTURES_DIR, else the repository's test/fixtures/recorded. */
  dir?: string;
  /** Pause between SSE events, milliseconds; default 0. */
  chunkDelayMs?: number;
}

/** Headers that describe the recorded connection or encoding, not the body we send. */
const CONNECTION_HEADERS = new Set(['connection', 'content-length', 'transfer-encoding', 'content-encoding', 'keep-alive']);

/**
 * The recordings folder: an explicit override, LLM_OTEL_FIXTURES_DIR, or the repository's
 * test/fixtures/recorded found from this package (src/ and dist/ both sit one level below it).
 */
export function fixturesDir(override?: string): string {
  if (override) return resolve(override);
  if (process.env.LLM_OTEL_FIXTURES_DIR) return resolve(process.env.LLM_OTEL_FIXTURES_DIR);
  const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
  return join(packageDir, '..', '..', 'test', 'fixtures', 'recorded');
}

/** Reads a recording by name, with or without `.json` (e.g. `openai-chat`). */
export function loadFixture(name: string, dir?: string): RecordedFixture {
  const file = join(fixturesDir(dir), name.endsWith('.json') ? name : `${name}.json`);
  if (!existsSync(file)) throw new Error(`stand-in: no recorded fixture ${file}`);
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as RecordedFixture;
  if (!Array.isArray(fixture.entries)) throw new Error(`stand-in: ${file} has no entries[]`);
  return fixture;
}

/**
 * Routes that replay a recording: each entry answers its own method and path (with query); entries on
 * the same path answer in recorded order, and the last one keeps answering after that. Streaming
 * bodies go out one SSE event per chunk, byte for byte, with the recorded content-type.
 */
export function fixtureRoutes(fixture: string | RecordedFixture, options: FixtureOptions = {}): ScriptedRoute[] {
  const recording = typeof fixture === 'string' ? loadFixture(fixture, options.dir) : fixture;
  const byEndpoint = new Map<string, { method: string; path: string; responses: ScriptedResponse[] }>();
  for (const entry of recording.entries) {
    const url = new URL(entry.request.url);
    const method = entry.request.method.toUpperCase();
    const path = url.pathname + url.search;
    const key = `${method} ${path}`;
    const endpoint = byEndpoint.get(key) ?? { method, path, responses: [] };
    endpoint.responses.push(recordedResponse(entry.response, options.chunkDelayMs));
    byEndpoint.set(key, endpoint);
  }
  return [...byEndpoint.values()].map(({ method, path, responses }) => {
    let next = 0;
    return {
      method,
      path,
      respond: (_request: RecordedRequest) => responses[Math.min(next++, responses.length - 1)],
    };
  });
}

function recordedResponse(response: RecordedExchange['response'], chunkDelayMs: number | undefined): ScriptedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  const isStream = (headers['content-type'] ?? '').includes('text/event-stream');
  if (!isStream) return { status: response.status, headers, body: response.body };
  return { status: response.status, headers, chunks: sseEvents(response.body), chunkDelayMs };
}

/**
 * Splits an SSE body after each blank line (the end of an event), keeping every byte: the chunks
 * concatenate to the input exactly.
 */
export function sseEvents(body: string): string[] {
  const events: string[] = [];
  const boundary = /\r\n\r\n|\n\n|\r\r/g;
  let start = 0;
  for (let match = boundary.exec(body); match; match = boundary.exec(body)) {
    const end = match.index + match[0].length;
    events.push(body.slice(start, end));
    start = end;
  }
  if (start < body.length) events.push(body.slice(start));
  return events;
}
