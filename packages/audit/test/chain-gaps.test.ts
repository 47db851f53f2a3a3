import { createSecretKey } from 'node:crypto';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, IntegrityChain, type SpanRecord } from '../src';
import { KEY, KEY_ID, toRecords } from './chain-fixture';

// Issue 13's promise: "a span lost on the way is a gap the verifier sees", never a silent hole. A span
// numbered at its end and never signed, while later spans are, is skipped by the next link's prev_seq:
// the pipeline must declare it lost, and the verifier must never accept such a skip silently. Every
// test here drives IntegrityChain directly, in a fixed order: no timing involved.

function verify(records: SpanRecord[]) {
  const verifier = new ChainVerifier({ keys: new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]) });
  for (const record of records) verifier.add(record);
  return verifier.finish();
}

/** `count` ended spans of a real SDK tracer, not yet numbered. */
function endedSpans(count: number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const collect: SpanProcessor = {
    onStart: () => undefined,
    onEnd: (span) => void spans.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const tracer = new BasicTracerProvider({ spanProcessors: [collect] }).getTracer('gaps');
  for (let index = 0; index < count; index += 1) tracer.startSpan(`span ${index + 1}`).end();
  return spans;
}

/** A span whose signing throws (its events cannot be read), as a hostile or broken view might. */
function unsignable(span: ReadableSpan): ReadableSpan {
  return new Proxy(span, {
    get(target, property, receiver) {
      if (property === 'events') throw new Error('events unreadable');
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const chainOf = (report: ReturnType<typeof verify>) => report.chains[0]!;

describe('numbered, never signed, while later spans are', () => {
  it('a span whose signing throws is declared lost by the next checkpoint (it went out unsigned)', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const [a, b, c] = endedSpans(3);
    const bad = unsignable(b!);
    for (const span of [a!, bad, c!]) chain.number(span);
    const exported = chain.sign([a!, bad, c!]);
    expect(exported[1]).toBe(bad); // exported as it was, without a chain link
    exported.push(...chain.sign([chain.checkpointSpan('final')]));
    const report = chainOf(verify(toRecords([exported[0]!, exported[2]!, exported[3]!])));
    expect(report).toMatchObject({ lost: [[2, 2]], removed: [], unaccounted: [], missing: [], termination: 'final-checkpoint', ok: false });
  });

  it('a skipped number the process never declared (it died before the next checkpoint) is unaccounted, and fails', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const spans = endedSpans(6);
    for (const span of spans) chain.number(span);
    // 3 and 4 were taken off for a batch that is never signed; 5 and 6 are signed by another path.
    const exported = chain.sign([spans[0]!, spans[1]!, spans[4]!, spans[5]!]);
    expect(exported[2]!.attributes['llm_otel.chain.prev_seq']).toBe(2);
    const report = chainOf(verify(toRecords(exported)));
    expect(report).toMatchObject({ unaccounted: [[3, 4]], lost: [], removed: [], missing: [], ok: false });
  });

  it('the same skip, declared by a later checkpoint, is lost; and a skipped number signed later is no gap at all', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const spans = endedSpans(7);
    for (const span of spans) chain.number(span);
    const exported = chain.sign([spans[0]!, spans[1]!, spans[4]!, spans[5]!]);
    // Concurrent exports: 3 is signed after 5 and 6 were (they skipped it), so it is present.
    exported.push(...chain.sign([spans[2]!]));
    // Two checkpoints: numbers still unsigned from before the first one are declared by the second.
    exported.push(...chain.sign([chain.checkpointSpan('periodic')]));
    exported.push(...chain.sign([chain.checkpointSpan('periodic')]));
    exported.push(...chain.sign([spans[6]!]));
    const report = chainOf(verify(toRecords(exported)));
    expect(report).toMatchObject({ lost: [[4, 4]], unaccounted: [], removed: [], missing: [] });
    expect(report.verified).toBe(8);
  });
});

describe('declared losses before the first record in the input', () => {
  it('are reported as lost when the chain’s first link is missing (not taken for a retention suffix)', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const spans = endedSpans(10);
    for (const span of spans) chain.number(span);
    const signed = chain.sign(spans);
    // The first three were signed and then dropped by whoever held them (a spool evicting its first batches).
    chain.recordLostSeqs([1, 2, 3]);
    const final = chain.sign([chain.checkpointSpan('final')]);
    const report = chainOf(verify(toRecords([...signed.slice(3), ...final])));
    expect(report).toMatchObject({ anchor: 'checkpoint', lost: [[1, 3]], removed: [], missing: [], ok: false });
  });

  it('retention alone (nothing declared) still verifies as a suffix', () => {
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const spans = endedSpans(10);
    for (const span of spans) chain.number(span);
    const signed = chain.sign(spans);
    const final = chain.sign([chain.checkpointSpan('final')]);
    expect(chainOf(verify(toRecords([...signed.slice(3), ...final])))).toMatchObject({ anchor: 'checkpoint', lost: [], ok: true });
  });
});
