import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ATTR_CHAIN_SEQ, ATTR_CHECKPOINT, ChainVerifier, type ChainReport, type SpanRecord, type VerifyReport } from '../src';
import { exportChain, KEY, KEY_ID, toRecords } from './chain-fixture';

const KEYS = new Map([[KEY_ID, createSecretKey(Buffer.from(KEY))]]);

function verify(records: SpanRecord[], options: { traceId?: string; keys?: Map<string, ReturnType<typeof createSecretKey>> } = {}): VerifyReport {
  const verifier = new ChainVerifier({ keys: options.keys ?? KEYS, ...(options.traceId ? { traceId: options.traceId } : {}) });
  for (const record of records) verifier.add(record);
  return verifier.finish();
}

/** A small seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0 || 1;
  return (below) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % below;
  };
}

const attribute = (record: SpanRecord, key: string) => record.attributes.find(([name]) => name === key)?.[1];
const isCheckpoint = (record: SpanRecord) => attribute(record, ATTR_CHECKPOINT) !== undefined;
const seqOf = (record: SpanRecord) => attribute(record, ATTR_CHAIN_SEQ) as number;
const clone = (records: SpanRecord[]) => structuredClone(records);

/** Everything a clean report says, so each mutation can state exactly what differs. */
function cleanExcept(overrides: Partial<ChainReport>): Partial<ChainReport> {
  return {
    alteredCount: 0,
    removed: [],
    lost: [],
    missing: [],
    duplicates: 0,
    conflictCount: 0,
    termination: 'final-checkpoint',
    unknownKeyIds: [],
    ...overrides,
  };
}

const SEEDS = Array.from({ length: 12 }, (_, index) => index + 1);

describe('property: each mutation of an exported chain gives exactly its report', async () => {
  const original = toRecords(await exportChain(30));
  const spans = () => original.map((record, index) => ({ record, index })).filter(({ record }) => !isCheckpoint(record));

  it('the unmutated chain is clean', () => {
    const report = verify(clone(original));
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject(cleanExcept({ verified: original.length, reordered: 0 }));
  });

  it.each(SEEDS)('one attribute changed (seed %i): that span is altered, in its attributes', (seed) => {
    const pick = random(seed);
    const records = clone(original);
    const { index } = spans()[pick(spans().length)]!;
    const target = records[index]!;
    const pair = target.attributes.find(([key]) => key === 'gen_ai.usage.output_tokens')!;
    pair[1] = (pair[1] as number) + 1 + pick(1000);
    const report = verify(records);
    expect(report.ok).toBe(false);
    const chain = report.chains[0]!;
    expect(chain).toMatchObject(cleanExcept({ alteredCount: 1 }));
    expect(chain.altered[0]).toMatchObject({ seq: seqOf(target), spanId: target.spanId, sections: ['attributes'] });
  });

  it.each(SEEDS)('one event changed (seed %i): altered, in its events', (seed) => {
    const records = clone(original);
    const { index } = spans()[random(seed)(spans().length)]!;
    records[index]!.events[0]!.name = 'gen_ai.other';
    const chain = verify(records).chains[0]!;
    expect(chain).toMatchObject(cleanExcept({ alteredCount: 1 }));
    expect(chain.altered[0]?.sections).toEqual(['events']);
  });

  it.each(SEEDS)('one span dropped (seed %i): exactly its number is removed', (seed) => {
    const records = clone(original);
    // Not the first record: without it the input is what retention leaves (tested below).
    const candidates = spans().slice(1);
    const { index } = candidates[random(seed)(candidates.length)]!;
    const [dropped] = records.splice(index, 1);
    const report = verify(records);
    expect(report.ok).toBe(false);
    expect(report.chains[0]).toMatchObject(cleanExcept({ removed: [[seqOf(dropped!), seqOf(dropped!)]] }));
  });

  it.each(SEEDS)('a run of consecutive records deleted (seed %i): exactly their numbers are removed', (seed) => {
    const pick = random(seed);
    const records = clone(original);
    const from = 1 + pick(records.length - 6);
    const deleted = records.splice(from, 1 + pick(4));
    const seqs = deleted.map(seqOf).sort((a, b) => a - b);
    const chain = verify(records).chains[0]!;
    expect(chain).toMatchObject(cleanExcept({ removed: [[seqs[0]!, seqs.at(-1)!]] }));
  });

  it.each(SEEDS)('two records swapped in the input (seed %i): still verifies, reported as reordered', (seed) => {
    const pick = random(seed);
    const records = clone(original);
    const first = pick(records.length - 1);
    const second = first + 1 + pick(records.length - first - 1);
    [records[first], records[second]] = [records[second]!, records[first]!];
    const report = verify(records);
    expect(report.ok).toBe(true);
    expect(report.chains[0]!.reordered).toBeGreaterThan(0);
  });

  it.each(SEEDS)('two records swap their sequence numbers (seed %i): both altered, nothing else', (seed) => {
    const pick = random(seed);
    const records = clone(original);
    const list = spans();
    const a = list[pick(list.length)]!.index;
    let b = list[pick(list.length)]!.index;
    if (b === a) b = list[(list.findIndex((item) => item.index === a) + 1) % list.length]!.index;
    const seqA = records[a]!.attributes.find(([key]) => key === ATTR_CHAIN_SEQ)!;
    const seqB = records[b]!.attributes.find(([key]) => key === ATTR_CHAIN_SEQ)!;
    [seqA[1], seqB[1]] = [seqB[1], seqA[1]];
    const chain = verify(records).chains[0]!;
    expect(chain).toMatchObject(cleanExcept({ alteredCount: 2 }));
    expect(chain.altered.map((item) => item.sections)).toEqual([['attributes'], ['attributes']]);
  });

  it.each([1, 2, 5, 9])('the newest %i records deleted: the chain is unterminated, with no false gaps', (count) => {
    const records = clone(original).slice(0, -count);
    const report = verify(records);
    expect(report.ok).toBe(false);
    expect(report.chains[0]).toMatchObject(cleanExcept({ termination: 'unterminated' }));
  });

  it.each(SEEDS)('one record duplicated (seed %i): reported, not failed', (seed) => {
    const pick = random(seed);
    const records = clone(original);
    records.splice(pick(records.length), 0, structuredClone(records[pick(records.length)]!));
    const report = verify(records);
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject(cleanExcept({ duplicates: 1 }));
  });
});

describe('keys, anchors, selections and forks', async () => {
  const original = toRecords(await exportChain(30));

  it('a chain forged with another key under the same key id: every record altered, sections unchanged', async () => {
    const forged = toRecords(await exportChain(3, { key: 'f'.repeat(40) }));
    const chain = verify(forged).chains[0]!;
    expect(chain.alteredCount).toBe(forged.length);
    expect(chain.altered[0]?.sections).toBeUndefined();
    expect(chain.altered[0]?.reason).toContain('another key');
  });

  it('an unknown key id is reported and fails', async () => {
    const records = toRecords(await exportChain(3, { keyId: 'rotated-2' }));
    const report = verify(records);
    expect(report.ok).toBe(false);
    expect(report.chains[0]?.unknownKeyIds).toEqual([{ keyId: 'rotated-2', records: records.length }]);
  });

  it('rotated keys: two chains under two key ids verify together', async () => {
    const older = toRecords(await exportChain(3, { keyId: 'k-2025', key: 'o'.repeat(32) }));
    const newer = toRecords(await exportChain(3, { keyId: 'k-2026', key: 'n'.repeat(32) }));
    const keys = new Map([
      ['k-2025', createSecretKey(Buffer.from('o'.repeat(32)))],
      ['k-2026', createSecretKey(Buffer.from('n'.repeat(32)))],
    ]);
    const report = verify([...older, ...newer], { keys });
    expect(report.problems).toEqual([]);
    expect(report.chains).toHaveLength(2);
  });

  it.each([1, 4, 9])('retention deleted the oldest %i records: verified from the first one left, anchored by a checkpoint', (count) => {
    const report = verify(clone(original).slice(count));
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ anchor: 'checkpoint', anchorSeq: seqOf(original[count]!), removed: [], missing: [] });
  });

  it('a deletion inside what retention left is still a gap', () => {
    const records = clone(original).slice(4);
    const [dropped] = records.splice(6, 1);
    expect(verify(records).chains[0]?.removed).toEqual([[seqOf(dropped!), seqOf(dropped!)]]);
  });

  it('the oldest records gone and asked to start from the beginning (requireGenesis): fails', () => {
    const verifier = new ChainVerifier({ keys: KEYS, requireGenesis: true });
    for (const record of clone(original).slice(1)) verifier.add(record);
    const report = verifier.finish();
    expect(report.ok).toBe(false);
    expect(report.chains[0]?.anchor).toBe('none');
  });

  it('the oldest records gone and no checkpoint in what is left: no anchor, fails', () => {
    const firstCheckpoint = original.findIndex(isCheckpoint);
    const report = verify(
      clone(original)
        .slice(firstCheckpoint + 1)
        .filter((record) => !isCheckpoint(record)),
    );
    expect(report.ok).toBe(false);
    expect(report.chains[0]?.anchor).toBe('none');
  });

  it('one trace asked for: its spans verify and nothing outside it is called a gap', () => {
    const traceId = original[3]!.traceId;
    const report = verify(clone(original), { traceId });
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ verified: 1, termination: 'not-checked', removed: [], missing: [] });
  });

  it('a chain id reused by two processes: conflicts, not a clean chain', async () => {
    const chainId = 'ab'.repeat(16);
    const first = toRecords(await exportChain(4, { chainId }));
    const second = toRecords(await exportChain(4, { chainId }));
    const report = verify([...first, ...second]);
    expect(report.ok).toBe(false);
    expect(report.chains).toHaveLength(1);
    expect(report.chains[0]!.conflictCount).toBeGreaterThan(0);
  });

  it('malformed chain attributes: altered, never a crash', () => {
    const records = clone(original);
    records[2]!.attributes.find(([key]) => key === ATTR_CHAIN_SEQ)![1] = 'seven';
    const chain = verify(records).chains[0]!;
    expect(chain.alteredCount).toBe(1);
    expect(chain.altered[0]?.reason).toContain('sequence numbers');
  });
});

describe('hostile records', async () => {
  const original = toRecords(await exportChain(10));

  it('an altered record claiming a huge sequence number does not become a huge gap', () => {
    const records = clone(original);
    records[3]!.attributes.find(([key]) => key === ATTR_CHAIN_SEQ)![1] = 1e15;
    const chain = verify(records).chains[0]!;
    expect(chain).toMatchObject({ alteredCount: 1, missing: [], lost: [] });
    expect(chain.removed).toEqual([[seqOf(original[3]!), seqOf(original[3]!)]]);
  });

  it('a chain of records all under an unknown key id reports the key, not gaps', () => {
    const report = verify(clone(original), { keys: new Map() });
    expect(report.chains[0]).toMatchObject({ unknownKeyIds: [{ keyId: KEY_ID, records: original.length }], removed: [], missing: [] });
  });

  it('a flood of distinct chain ids is bounded and reported as unreadable input', () => {
    const verifier = new ChainVerifier({ keys: KEYS });
    const template = original[0]!;
    for (let index = 0; index < 10_050; index += 1) {
      const record = structuredClone(template);
      record.attributes.find(([key]) => key === 'llm_otel.chain.id')![1] = index.toString(16).padStart(32, '0');
      verifier.add(record);
    }
    const report = verifier.finish();
    expect(report.chains).toHaveLength(10_000);
    expect(report.malformed.count).toBe(50);
  });
});
