import { afterAll, beforeAll } from 'vitest';
import { fixtureRoutes, loadFixture, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { InstrumentedUnderTest } from './in-memory';

/** A provider stand-in started before the file's first test and closed after its last. */
export function standInForFile(): () => ProviderStandIn {
  let standIn: ProviderStandIn | undefined;
  beforeAll(async () => {
    standIn = await startProviderStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
  });
  return () => {
    if (!standIn) throw new Error('the stand-in starts in beforeAll');
    return standIn;
  };
}

/**
 * Replays one recorded call (test/fixtures/recorded) through real fetch against the stand-in, reads the
 * body to its end and returns the LLM span the instrumentation recorded.
 */
export async function replayRecordedCall(standIn: ProviderStandIn, otel: InstrumentedUnderTest, fixture: string, entry = 0): Promise<ReadableSpan> {
  for (const route of fixtureRoutes(fixture)) standIn.script(route);
  const { request } = loadFixture(fixture).entries[entry];
  const url = new URL(request.url);
  const response = await fetch(`${standIn.url}${url.pathname}${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: request.body,
  });
  await response.text();
  const spans = await otel.spans(1);
  return spans[spans.length - 1];
}
