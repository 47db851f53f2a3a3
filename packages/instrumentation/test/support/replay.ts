import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { ResponseObserver } from '../../src/framing/response-observer';
import type {
  AccumulatorOptions,
  LlmRequest,
  ParsedRequest,
  ParsedResponse,
  ProviderAdapter,
  RequestContent,
  StreamFraming,
} from '../../src/providers/adapter';

/** One recorded HTTP exchange (see test/fixtures/recorded/README.md). */
export interface RecordedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

const RECORDED = new URL('../../../../test/fixtures/recorded/', import.meta.url);

export function loadRecording(name: string): RecordedExchange[] {
  const file = fileURLToPath(new URL(name, RECORDED));
  return (JSON.parse(readFileSync(file, 'utf8')) as { entries: RecordedExchange[] }).entries;
}

/** An exchange written by hand, for what has no recording. */
export function exchange(url: string, requestBody: unknown, responseBody: string, contentType: string, status = 200): RecordedExchange {
  return {
    request: { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(requestBody) },
    response: { status, headers: { 'content-type': contentType }, body: responseBody },
  };
}

export function toLlmRequest(request: RecordedExchange['request']): LlmRequest {
  const headers = new Map(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    body = undefined;
  }
  return { url: new URL(request.url), method: request.method, body, header: (name) => headers.get(name.toLowerCase()) };
}

/** The framing a hook would pick: the content type first, then the adapter for ambiguous JSON. */
export function framingOf(adapter: ProviderAdapter, request: LlmRequest, parsed: ParsedRequest, contentType: string): StreamFraming {
  if (contentType.includes('text/event-stream')) return 'sse';
  if (contentType.includes('ndjson')) return 'ndjson';
  return parsed.stream && adapter.streamFraming ? adapter.streamFraming(request) : 'json';
}

export interface ReplayResult {
  request: ParsedRequest;
  response: ParsedResponse;
  framing: StreamFraming;
  eventCount: number;
  problems: string[];
  truncated: boolean;
}

export interface ReplayOptions extends Partial<AccumulatorOptions> {
  maxBodyLength?: number;
  maxEventLength?: number;
  /** Byte sizes of the chunks the body is cut into; every size must give the same result. */
  chunkSizes?: number[];
  /**
   * Skip the events the adapter says carry no summary, unparsed, as the span does when neither
   * content capture nor estimation keeps text (llm-call.ts). Default false: every event is parsed.
   */
  skipSummarylessEvents?: boolean;
}

/**
 * Feeds a recorded response through the real ResponseObserver into the adapter's accumulator, cut
 * into chunks of each size in turn. Size 1 splits every UTF-8 multibyte character and every SSE
 * event, so a decoder that loses state between chunks shows up as a different result.
 */
export function replay(adapter: ProviderAdapter, recorded: RecordedExchange, options: ReplayOptions = {}): ReplayResult {
  const bytes = new TextEncoder().encode(recorded.response.body);
  const sizes = options.chunkSizes ?? [1, 3, 7, 64, bytes.length || 1];
  const results = sizes.map((size) => replayOnce(adapter, recorded, bytes, size, options));
  // The parsed request does not depend on the chunking (and holds a function): compare the rest.
  const outcome = ({ request: _request, ...rest }: ReplayResult) => rest;
  for (const result of results.slice(1)) expect(outcome(result)).toEqual(outcome(results[0]));
  return results[0];
}

function replayOnce(adapter: ProviderAdapter, recorded: RecordedExchange, bytes: Uint8Array, chunkSize: number, options: ReplayOptions): ReplayResult {
  const request = toLlmRequest(recorded.request);
  const parsed = parseRequestWithContent(adapter, request);
  const contentType = Object.entries(recorded.response.headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  const framing = framingOf(adapter, request, parsed, contentType);
  const accumulator = adapter.createAccumulator(parsed, {
    captureContent: options.captureContent ?? true,
    keepOutputText: options.keepOutputText ?? true,
    maxTextLength: options.maxTextLength ?? 256 * 1024,
  });
  const problems: string[] = [];
  const observer = new ResponseObserver(
    framing,
    accumulator,
    { onFirstEvent: () => undefined, onProblem: (message) => problems.push(message) },
    {
      maxBodyLength: options.maxBodyLength ?? 4 * 1024 * 1024,
      maxEventLength: options.maxEventLength ?? 1024 * 1024,
      salvage: adapter.salvage,
      eventFilter: options.skipSummarylessEvents && adapter.eventCarriesSummary ? adapter.eventCarriesSummary.bind(adapter) : undefined,
    },
  );
  for (let offset = 0; offset < bytes.length; offset += chunkSize) observer.push(bytes.subarray(offset, offset + chunkSize));
  observer.end();
  return { request: parsed, response: accumulator.finish(), framing, eventCount: observer.eventCount, problems, truncated: observer.truncated };
}

/** The parsed request with its lazily built content expanded, so tests can compare it whole. */
export function parseRequestWithContent(adapter: ProviderAdapter, request: LlmRequest): ParsedRequest & RequestContent {
  const parsed = adapter.parseRequest(request);
  return Object.assign({}, parsed, parsed.content?.());
}
