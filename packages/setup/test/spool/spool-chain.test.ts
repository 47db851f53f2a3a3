import { createSecretKey } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_CHAIN_PREV_SEQ,
  ATTR_CHAIN_SEQ,
  ChainVerifier,
  IntegrityChain,
  IntegrityChainSpanProcessor,
  seqsInExportRequest,
  type VerifyReport,
} from '@llm-otel/audit';
import { readDocument } from '@llm-otel/cli';
import { toOtlpJsonRequest, type ReceivedSpan } from '@llm-otel/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { until } from '../../../../test/support/until';
import { decodeProtobufExport } from '../../../otlp-receiver/src/decode';
import { decodeBatchFile } from '../../src/spool/batch-file-format';
import { CHAIN_HEAD_FILE, readChainHead, SpoolChain } from '../../src/spool/spool-chain';
import { useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

const KEY = 'a key for the spool chain tests, 32 bytes or more';
const KEY_ID = 'spool-test';
const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-chain-');

function verify(spans: ReceivedSpan[]): VerifyReport {
  const verifier = new ChainVerifier({ keys: new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]) });
  const outcome = readDocument(JSON.parse(JSON.stringify(toOtlpJsonRequest(spans))));
  for (const record of outcome.records) verifier.add(record);
  return verifier.finish();
}

/** chain → spool, as set-up builds it (after masking, which these tests do not need). */
function chainedSpool(dir: string, options: Parameters<typeof harness.spool>[0] extends infer O ? Partial<O> : never = {}, resource?: Resource) {
  const chain = new IntegrityChain({ key: KEY, keyId: KEY_ID });
  const spool = harness.spool({ dir, integrityChain: chain, ...options });
  const head = new IntegrityChainSpanProcessor(chain, spool, { checkpointIntervalMillis: 0 });
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [head] }).getTracer('spool-chain-test');
  const end = (count: number) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`op ${i}`, { attributes: { i, text: 'x'.repeat(300) } }).end();
  };
  return { chain, spool, head, end };
}

/** The payloads of the batch files of `dir`, in the order of their names (the order they are sent). */
function payloadsOnDisk(dir: string): Uint8Array[] {
  const payloads: Uint8Array[] = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.otlp'))
    .sort()) {
    const decoded = decodeBatchFile(readFileSync(join(dir, name)));
    if (decoded.ok) payloads.push(decoded.payload);
  }
  return payloads;
}

/** The chain's sequence numbers in the batch files of `dir`, in the order of their names. */
function seqsOnDisk(dir: string, chainId: string): number[] {
  return payloadsOnDisk(dir).flatMap((payload) => seqsInExportRequest(payload).get(chainId) ?? []);
}

/** Each span of the batch files of `dir`, in file order: its link and the link it names as its predecessor. */
function linksOnDisk(dir: string): { seq: unknown; prevSeq: unknown }[] {
  return payloadsOnDisk(dir)
    .flatMap((payload) => decodeProtobufExport(payload, 'grpc'))
    .map((span) => ({ seq: span.attributes[ATTR_CHAIN_SEQ], prevSeq: span.attributes[ATTR_CHAIN_PREV_SEQ] }));
}

describe('the spool signs batches before they reach the disk', () => {
  it('the order on disk is the chain order, through asynchronous writes and synchronous spills; the chain verifies once delivered', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 }); // backend down: the files stay
    const { chain, head, spool, end } = chainedSpool(dir, { maxQueueSpans: 20, maxBatchSpans: 10 });
    end(95); // 20-span queue: most of these are spilled synchronously
    await new Promise((resolve) => setTimeout(resolve, 50));
    end(5);
    await spool.forceFlush().catch(() => undefined);
    expect(spool.synchronousSpills).toBeGreaterThan(0);
    const onDisk = seqsOnDisk(dir, chain.chainId);
    expect(onDisk).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(readChainHead(dir)).toMatchObject({ chainId: chain.chainId, lastSeq: 100 });

    harness.receiver.setBehaviour(undefined);
    await head.shutdown();
    await harness.receiver.waitFor((spans) => spans.length >= 101, 20_000);
    const report = verify(harness.receiver.spans);
    expect(report.problems).toEqual([]);
    expect(report.chains[0]).toMatchObject({ verified: 101, termination: 'final-checkpoint', lost: [], removed: [], missing: [] });
    // Ended cleanly: the next process must not record a recovery for it.
    await spool.shutdown();
    expect(readChainHead(dir)).toBeUndefined();
  });

  it('a batch evicted for maxBytes is declared lost by its sequence numbers: the verifier reports exactly them as lost, not removed', async () => {
    const dir = join(tempDir(), 'spool');
    const { chain, head, spool, end } = chainedSpool(dir, { maxQueueSpans: 10, maxBatchSpans: 10, maxBytes: 30_000 });
    // The first batch is delivered, so the chain's genesis is in the record (a lost prefix would read as retention).
    end(10);
    await spool.forceFlush();
    expect(harness.receiver.spans).toHaveLength(10);
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    end(10);
    await spool.forceFlush().catch(() => undefined);
    expect(seqsOnDisk(dir, chain.chainId)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    end(30); // each 10-span batch is ~8 kB: the oldest are evicted
    await spool.forceFlush().catch(() => undefined);
    const kept = new Set(seqsOnDisk(dir, chain.chainId));
    const evicted = Array.from({ length: 40 }, (_, index) => index + 11).filter((seq) => !kept.has(seq));
    expect(evicted.length).toBeGreaterThan(0);
    expect(spool.stats().droppedSpans).toBe(evicted.length);

    harness.receiver.setBehaviour(undefined);
    await head.shutdown();
    await harness.receiver.waitFor((spans) => spans.some((span) => span.attributes['llm_otel.chain.checkpoint'] === 'final'), 20_000);
    const [report] = verify(harness.receiver.spans).chains;
    const lost = report!.lost.flatMap(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, index) => from! + index));
    expect(lost).toEqual(evicted);
    expect(report).toMatchObject({ anchor: 'genesis', alteredCount: 0, removed: [], missing: [], termination: 'final-checkpoint' });
  });

  it('batches evicted before the oldest record the store kept: the verifier reports them lost, not a retention suffix', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    const { chain, head, spool, end } = chainedSpool(dir, { maxQueueSpans: 10, maxBatchSpans: 10, maxBytes: 30_000 });
    end(50); // each 10-span batch is ~8 kB: the oldest ones the sender is not holding are evicted
    await spool.forceFlush().catch(() => undefined);
    const kept = new Set(seqsOnDisk(dir, chain.chainId));
    const evicted = Array.from({ length: 50 }, (_, index) => index + 1).filter((seq) => !kept.has(seq));
    expect(evicted.length).toBeGreaterThan(0);

    harness.receiver.setBehaviour(undefined);
    await head.shutdown();
    await harness.receiver.waitFor((spans) => spans.some((span) => span.attributes['llm_otel.chain.checkpoint'] === 'final'), 20_000);
    // The backend's retention deleted everything up to the last evicted number (the genesis with it): the
    // rest reads as a suffix, but the final checkpoint's declaration of the evicted numbers still counts.
    const lastEvicted = evicted.at(-1)!;
    const stored = harness.receiver.spans.filter((span) => Number(span.attributes['llm_otel.chain.seq']) > lastEvicted);
    const report = verify(stored);
    const [chainReport] = report.chains;
    const lost = chainReport!.lost.flatMap(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, index) => from! + index));
    expect(lost).toEqual(evicted);
    expect(chainReport).toMatchObject({ anchor: 'checkpoint', removed: [], missing: [], unaccounted: [], ok: false });
    expect(report.ok).toBe(false);
  });

  it('the exit listener signs synchronously and ends the chain with a final checkpoint', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    const { chain, spool, end } = chainedSpool(dir, { maxQueueSpans: 1000, maxBatchSpans: 100 });
    end(7);
    (spool as unknown as { persistAtExit(): void }).persistAtExit();
    expect(seqsOnDisk(dir, chain.chainId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readChainHead(dir)).toMatchObject({ chainId: chain.chainId, lastSeq: 8 });

    // The next process sends them; the chain it reads verifies and ended cleanly.
    harness.receiver.setBehaviour(undefined);
    const next = harness.spool({ dir });
    await next.forceFlush();
    const [report] = verify(harness.receiver.spans).chains;
    expect(report).toMatchObject({ verified: 8, termination: 'final-checkpoint', alteredCount: 0, removed: [], missing: [], lost: [] });
  });
});

describe('a spill while the asynchronous writer holds a batch', () => {
  it('waiting for resource attributes: the spill writes the waiting batch first: the files in order hold the chain in end order, each link naming the one before, each span once', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 }); // backend down: the files stay
    let answerHostId: (hostId: string) => void = () => undefined;
    const hostId = new Promise<string>((resolve) => (answerHostId = resolve));
    const resource = resourceFromAttributes({ 'service.name': 'spill-order', 'host.id': hostId });
    const { chain, head, spool, end } = chainedSpool(dir, { maxQueueSpans: 20, maxBatchSpans: 10, timeoutMillis: 500 }, resource);
    const writer = spool as unknown as { spansBeingEncoded: unknown[] };
    end(10); // a full batch: the writer takes it on the next turn and waits for host.id
    await until('the writer to hold the first batch', () => writer.spansBeingEncoded.length === 10);
    end(20); // the queue reaches maxQueueSpans while the writer still waits: onEnd spills
    expect(spool.synchronousSpills).toBe(1);
    answerHostId('host-7f3a'); // the wait ends
    await spool.forceFlush();

    const expected = Array.from({ length: 30 }, (_, index) => index + 1);
    expect(seqsOnDisk(dir, chain.chainId)).toEqual(expected);
    expect(linksOnDisk(dir)).toEqual(expected.map((seq) => ({ seq, prevSeq: seq - 1 })));
    expect(readChainHead(dir)).toMatchObject({ chainId: chain.chainId, lastSeq: 30 });

    harness.receiver.setBehaviour(undefined);
    await head.shutdown();
    await harness.receiver.waitFor((spans) => spans.some((span) => span.attributes['llm_otel.chain.checkpoint'] === 'final'), 20_000);
    const report = verify(harness.receiver.spans);
    expect(report.problems).toEqual([]);
    expect(report.chains[0]).toMatchObject({ verified: 31, duplicates: 0, reordered: 0, termination: 'final-checkpoint', ok: true });
  });

  it('writing a batch it signed: the spill stores that batch first and the write under way keeps nothing, so each span is on disk once', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    const { chain, spool, end } = chainedSpool(dir, { maxQueueSpans: 20, maxBatchSpans: 10, timeoutMillis: 500 });
    const writer = spool as unknown as { batchesBeingWritten: unknown[] };
    end(10);
    // The writer's turn comes first in this check phase: it signs the batch and starts the file; the file
    // system answers no earlier than the next poll phase, so the write is under way here.
    await new Promise((resolve) => setImmediate(resolve));
    expect(writer.batchesBeingWritten).toHaveLength(1);
    end(20);
    expect(spool.synchronousSpills).toBe(1);
    await spool.forceFlush();
    const expected = Array.from({ length: 30 }, (_, index) => index + 1);
    expect(seqsOnDisk(dir, chain.chainId)).toEqual(expected);
    expect(linksOnDisk(dir)).toEqual(expected.map((seq) => ({ seq, prevSeq: seq - 1 })));
    expect(readdirSync(dir).filter((name) => name.includes('.otlp')).length).toBe(3);
    expect(readChainHead(dir)).toMatchObject({ chainId: chain.chainId, lastSeq: 30 });
  });
});

describe('a spill in the few microtasks between the store keeping a batch and the writer hearing of it', () => {
  it('does not write that batch again', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    const { chain, spool, end } = chainedSpool(dir, { maxQueueSpans: 20, maxBatchSpans: 10, timeoutMillis: 500 });
    // The application ends spans in a microtask that runs right after the store indexed the writer's batch
    // (before the writer's await returns), as a promise-driven loop may.
    const store = (spool as unknown as { store: { diskStore: { insertPending(entry: unknown): void } } }).store.diskStore;
    const insertPending = store.insertPending.bind(store);
    let spilled = false;
    store.insertPending = (entry) => {
      insertPending(entry);
      if (spilled) return;
      spilled = true;
      queueMicrotask(() => end(20));
    };
    end(10);
    await until('the spill', () => spool.synchronousSpills === 1);
    await spool.forceFlush();
    expect(seqsOnDisk(dir, chain.chainId)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
  });
});

describe('the exit listener and a shutdown in progress', () => {
  it('writes no second final checkpoint after the one a shutdown queued (nothing may follow it)', async () => {
    const dir = join(tempDir(), 'spool');
    harness.receiver.setBehaviour({ grpcStatus: 14 });
    const { chain, head, spool, end } = chainedSpool(dir, { maxQueueSpans: 1000, maxBatchSpans: 100 });
    end(3);
    const shuttingDown = head.shutdown(); // queues the final checkpoint (seq 4) at once
    (spool as unknown as { persistAtExit(): void }).persistAtExit();
    expect(seqsOnDisk(dir, chain.chainId)).toEqual([1, 2, 3, 4]);
    harness.receiver.setBehaviour(undefined);
    await shuttingDown;
  });
});

describe('the chain head a dead process left', () => {
  it('becomes one recovery span naming where the old chain ended; a hostile head file is ignored', () => {
    const dir = join(tempDir(), 'spool');
    mkdirSync(dir, { recursive: true });
    const chain = new SpoolChain(new IntegrityChain({ key: KEY, keyId: KEY_ID }));
    const old = { chainId: 'ab'.repeat(16), lastSeq: 41, lastMac: 'A'.repeat(43) };
    writeFileSync(join(dir, CHAIN_HEAD_FILE), JSON.stringify(old));
    expect(chain.recoverySpanFor(dir)?.attributes).toMatchObject({ 'llm_otel.chain.recovered.id': old.chainId, 'llm_otel.chain.recovered.last_seq': 41 });
    for (const hostile of [
      '{',
      '[]',
      'null',
      JSON.stringify({ ...old, lastSeq: -1 }),
      JSON.stringify({ ...old, chainId: '../x' }),
      JSON.stringify({ ...old, lastMac: 7 }),
    ]) {
      writeFileSync(join(dir, CHAIN_HEAD_FILE), hostile);
      expect(chain.recoverySpanFor(dir)).toBeUndefined();
    }
    // Its own head (a resumed disk in the same process) is not a recovery.
    writeFileSync(join(dir, CHAIN_HEAD_FILE), JSON.stringify({ ...old, chainId: chain.chain.chainId }));
    expect(chain.recoverySpanFor(dir)).toBeUndefined();
  });
});
