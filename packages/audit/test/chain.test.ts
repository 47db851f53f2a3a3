import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, type SpanRecord } from '../src';
import { exportChain, ExportResultCode, KEY, KEY_ID, toRecords, type ExportResult } from './chain-fixture';

function verify(records: SpanRecord[], keys = new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]])) {
  const verifier = new ChainVerifier({ keys });
  for (const record of records) verifier.add(record);
  return verifier.finish();
}

describe('the integrity chain, signed and verified', () => {
  it('verifies a clean chain ending in a final checkpoint', async () => {
    const records = toRecords(await exportChain(20));
    const report = verify(records);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const [chain] = report.chains;
    expect(chain?.verified).toBe(records.length);
    expect(chain?.termination).toBe('final-checkpoint');
    expect(chain?.anchor).toBe('genesis');
  });
});

import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_CHAIN_MAC, ATTR_CHAIN_SEQ, IntegrityChain, IntegrityChainSpanProcessor, SigningSpanExporter } from '../src';

class Collecting implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  failNext = 0;
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.failNext > 0) {
      this.failNext -= 1;
      done({ code: ExportResultCode.FAILED });
      return;
    }
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown = () => Promise.resolve();
}

/** Drops the span ending at position `dropAt` (1-based), as a full queue would, after it was numbered. */
function dropping(downstream: SpanProcessor, dropAt: number): SpanProcessor {
  let ended = 0;
  return {
    onStart: (span, context) => downstream.onStart(span, context),
    onEnd: (span) => {
      if (++ended !== dropAt) downstream.onEnd(span);
    },
    forceFlush: () => downstream.forceFlush(),
    shutdown: () => downstream.shutdown(),
  };
}

function run(count: number, build: (chain: IntegrityChain, exporter: Collecting) => SpanProcessor, chain = new IntegrityChain({ key: KEY, keyId: KEY_ID })) {
  const exporter = new Collecting();
  const processor = new IntegrityChainSpanProcessor(chain, build(chain, exporter), { checkpointIntervalMillis: 0 });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('t');
  for (let index = 0; index < count; index += 1) tracer.startSpan(`span ${index}`).end();
  return { exporter, provider, chain };
}

describe('losses the chain itself declares', () => {
  it('a span dropped between its end and export is reported as lost, with its exact number', async () => {
    const { exporter, provider } = run(6, (chain, out) => dropping(new SimpleSpanProcessor(new SigningSpanExporter(chain, out)), 3));
    await provider.shutdown();
    const chain = verify(toRecords(exporter.spans)).chains[0]!;
    expect(chain).toMatchObject({ lost: [[3, 3]], removed: [], missing: [], alteredCount: 0, termination: 'final-checkpoint' });
  });

  it('an export the exporter reported failed is reported as lost, not as removed', async () => {
    const { exporter, provider } = run(0, (chain, out) => new SimpleSpanProcessor(new SigningSpanExporter(chain, out)));
    const tracer = provider.getTracer('t');
    tracer.startSpan('a').end();
    exporter.failNext = 1;
    tracer.startSpan('b').end();
    tracer.startSpan('c').end();
    await provider.shutdown();
    const chain = verify(toRecords(exporter.spans)).chains[0]!;
    expect(chain).toMatchObject({ lost: [[2, 2]], removed: [], missing: [] });
  });

  it('a chain whose process crashed, recorded by the process that recovered its spool: crashed, not truncated', async () => {
    const crashed = run(4, (chain, out) => new SimpleSpanProcessor(new SigningSpanExporter(chain, out)));
    // No shutdown: the process died. A later process recovers the spool and records where it ended.
    const last = crashed.exporter.spans.at(-1)!;
    const later = run(1, (chain, out) => new SimpleSpanProcessor(new SigningSpanExporter(chain, out)));
    const recovery = later.chain.recoverySpan({
      chainId: crashed.chain.chainId,
      lastSeq: last.attributes[ATTR_CHAIN_SEQ] as number,
      lastMac: last.attributes[ATTR_CHAIN_MAC] as string,
    });
    later.exporter.export(later.chain.sign([recovery]), () => undefined);
    await later.provider.shutdown();
    const report = verify(toRecords([...crashed.exporter.spans, ...later.exporter.spans]));
    const old = report.chains.find((chain) => chain.chainId === crashed.chain.chainId)!;
    expect(old).toMatchObject({ termination: 'crashed', recoveredBy: { chainId: later.chain.chainId, lastSeq: 4 }, removed: [], ok: true });
    expect(report.ok).toBe(true);

    // The same crash with the newest record deleted afterwards: the recovery record exposes it.
    const tampered = verify(toRecords([...crashed.exporter.spans.slice(0, -1), ...later.exporter.spans]));
    expect(tampered.chains.find((chain) => chain.chainId === crashed.chain.chainId)).toMatchObject({ missing: [[4, 4]], ok: false });
  });

  it('unsampled spans are not numbered (they are never exported, so they would be false gaps)', async () => {
    const { IntegrityChain: Chain } = await import('../src');
    const chain = new Chain({ key: KEY });
    const processor = new IntegrityChainSpanProcessor(
      chain,
      { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} },
      { checkpointIntervalMillis: 0 },
    );
    processor.onEnd({ spanContext: () => ({ traceId: '1'.repeat(32), spanId: '1'.repeat(16), traceFlags: 0 }) } as unknown as ReadableSpan);
    expect(chain.hasNewSpans).toBe(false);
  });

  it('a key shorter than 32 bytes passed in code is an error that does not echo the key', () => {
    expect(() => new IntegrityChain({ key: 'short-secret-value' })).toThrow(/18 bytes; at least 32/);
    expect(() => new IntegrityChain({ key: 'short-secret-value' })).not.toThrow(/short-secret-value/);
  });
});

describe('periodic checkpoints', () => {
  it('the timer writes a signed checkpoint while spans end, none while idle', async () => {
    const exporter = new Collecting();
    const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
    const processor = new IntegrityChainSpanProcessor(chain, new SimpleSpanProcessor(new SigningSpanExporter(chain, exporter)), {
      checkpointIntervalMillis: 20,
    });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    provider.getTracer('t').startSpan('one').end();
    const deadline = Date.now() + 10_000;
    while (!exporter.spans.some((span) => span.name === 'llm_otel.chain.checkpoint') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const periodic = exporter.spans.filter((span) => span.attributes['llm_otel.chain.checkpoint'] === 'periodic');
    expect(periodic).toHaveLength(1);
    expect(periodic[0]?.attributes).toMatchObject({ 'llm_otel.chain.checkpoint.numbered': 2, 'llm_otel.chain.checkpoint.signed': 1 });
    await provider.shutdown();
    expect(verify(toRecords(exporter.spans)).ok).toBe(true);
  });
});

describe('a time range', () => {
  const T = 1_764_590_400_000; // ms
  async function chainWithTimes(): Promise<ReadableSpan[]> {
    const { exporter, provider } = run(0, (chain, out) => new SimpleSpanProcessor(new SigningSpanExporter(chain, out)));
    const tracer = provider.getTracer('t');
    for (let index = 0; index < 10; index += 1) tracer.startSpan(`s${index}`, { startTime: T + index * 1000 }).end(T + index * 1000 + 500);
    await provider.shutdown();
    return exporter.spans;
  }
  const range = (spans: ReadableSpan[], drop?: string) => {
    const verifier = new ChainVerifier({
      keys: new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]),
      sinceMicros: BigInt(T + 3000) * 1000n,
      untilMicros: BigInt(T + 6999) * 1000n,
    });
    for (const record of toRecords(spans.filter((span) => span.name !== drop))) verifier.add(record);
    return verifier.finish();
  };

  it('verifies the spans that ended in it, without calling the rest a gap or the chain unterminated', async () => {
    const spans = await chainWithTimes();
    const report = range(spans.filter((span) => ['s3', 's4', 's5', 's6'].includes(span.name)));
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ verified: 4, anchor: 'selection', termination: 'not-checked', removed: [], missing: [] });
  });

  it('a deletion inside the range is reported; one outside it is not', async () => {
    const spans = await chainWithTimes();
    expect(range(spans, 's5').chains[0]).toMatchObject({ missing: [], removed: [[6, 6]] });
    expect(range(spans, 's8').ok).toBe(true);
  });
});

describe('an application attribute named like the chain’s', () => {
  it('is replaced by the chain’s own and the record still verifies', async () => {
    const { exporter, provider } = run(0, (chain, out) => new SimpleSpanProcessor(new SigningSpanExporter(chain, out)));
    provider
      .getTracer('t')
      .startSpan('spoof', { attributes: { 'llm_otel.chain.seq': 999, 'llm_otel.chain.mac': 'forged' } })
      .end();
    await provider.shutdown();
    expect(exporter.spans[0]?.attributes['llm_otel.chain.seq']).toBe(1);
    expect(verify(toRecords(exporter.spans)).ok).toBe(true);
  });
});
