import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs';
import { encodeBatchFile } from '../../src/spool/batch-file-format';
import { batchFileName } from '../../src/spool/batch-file-name';
import { DropReport } from '../../src/spool/drop-report';
import { SpoolCounters } from '../../src/spool/spool-stats';
import { SpoolStore } from '../../src/spool/spool-store';

const freshDir = useTempDirs('spool-store-');

function batch(size: number, spans = 10, created = Date.now()): Buffer {
  return encodeBatchFile(new Uint8Array(size).fill(spans), spans, created);
}

function openStore(dir: string, maxBytes = 1 << 20, maxAgeMillis = 3_600_000) {
  const counters = new SpoolCounters();
  const drops = new DropReport();
  return { store: new SpoolStore(dir, maxBytes, maxAgeMillis, counters, drops), counters, drops };
}

function batchFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.otlp')).sort();
}

describe('spool store', () => {
  it('writes files 0600, hands them out oldest first and deletes what was sent', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir);
    expect(await store.writeBatch(batch(100, 1), 1, Date.now())).toBe(true);
    expect(store.writeBatchSync(batch(100, 2), 2, Date.now())).toBe(true);
    const [first] = batchFiles(dir);
    expect((statSync(join(dir, first)).mode & 0o777).toString(8)).toBe('600');
    expect(store.fileCount).toBe(2);
    expect(store.bytesOnDisk).toBe(2 * (100 + 28));
    const oldest = store.takeOldest();
    expect(oldest).toMatchObject({ name: first, spans: 1 });
    const read = await store.read(oldest!);
    expect(read.ok && read.payload[0]).toBe(1);
    store.settleSent(oldest!);
    expect(counters.sentBatches).toBe(1);
    expect(batchFiles(dir)).toHaveLength(1);
    expect(store.takeOldest()?.spans).toBe(2);
  });

  it('evicts the oldest batch, never the one in flight, to stay under maxBytes, counting the loss', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir, 3 * 128);
    for (let i = 1; i <= 3; i++) await store.writeBatch(batch(100, i), i, Date.now());
    const inFlight = store.takeOldest()!;
    expect(inFlight.spans).toBe(1);
    await store.writeBatch(batch(100, 4), 4, Date.now());
    expect(counters).toMatchObject({ droppedBatches: 1, droppedSpans: 2 });
    expect(store.bytesOnDisk).toBeLessThanOrEqual(3 * 128);
    // A batch bigger than the whole bound is itself the loss.
    expect(await store.writeBatch(batch(1000, 9), 9, Date.now())).toBe(false);
    expect(counters).toMatchObject({ droppedBatches: 2, droppedSpans: 11 });
    store.settleSent(inFlight);
    expect(batchFiles(dir).map((name) => readFileSync(join(dir, name))[28])).toEqual([3, 4]);
  });

  it('drops batches older than maxAge, counted', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir, 1 << 20, 60_000);
    await store.writeBatch(batch(10, 5, Date.now() - 120_000), 5, Date.now() - 120_000);
    await store.writeBatch(batch(10, 6), 6, Date.now());
    expect(store.takeOldest()?.spans).toBe(6);
    expect(counters).toMatchObject({ droppedBatches: 1, droppedSpans: 5 });
  });

  it('at start recovers complete temp files, removes torn ones and quarantines corrupt batches', () => {
    const dir = freshDir();
    const complete = batchFileName(Date.now() - 3000, 1, 1);
    const torn = batchFileName(Date.now() - 2000, 2, 1);
    const corrupt = batchFileName(Date.now() - 1000, 3, 1);
    writeFileSync(join(dir, `${complete}.tmp`), batch(50, 7));
    writeFileSync(join(dir, `${torn}.tmp`), batch(50, 8).subarray(0, 40));
    writeFileSync(join(dir, corrupt), batch(50, 9).subarray(0, 60));
    const { store, counters } = openStore(dir);
    expect(batchFiles(dir)).toEqual([complete]);
    expect(readdirSync(join(dir, 'quarantine'))).toEqual([corrupt]);
    expect(counters.quarantinedFiles).toBe(1);
    expect(store.fileCount).toBe(1);
    expect(store.bytesOnDisk).toBe(78 + 60);
  });

  it('quarantines a file whose checksum fails when it is read, and sets rejected batches aside', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir);
    await store.writeBatch(batch(50, 1), 1, Date.now());
    await store.writeBatch(batch(50, 2), 2, Date.now());
    const [bad] = batchFiles(dir);
    const bytes = readFileSync(join(dir, bad));
    bytes[40] ^= 0xff;
    writeFileSync(join(dir, bad), bytes);
    const first = store.takeOldest()!;
    expect(await store.read(first)).toEqual({ ok: false, reason: 'checksum mismatch' });
    expect(counters.quarantinedFiles).toBe(1);
    const second = store.takeOldest()!;
    store.settleRejected(second, 'HTTP 400');
    expect(counters.rejectedBatches).toBe(1);
    expect(readdirSync(join(dir, 'rejected'))).toEqual([second.name]);
    expect(store.fileCount).toBe(0);
    // Set-aside files still count against maxBytes.
    expect(store.bytesOnDisk).toBe(2 * 78);
  });

  it('absorbs the batches and set-aside files of another directory', async () => {
    const dir = freshDir();
    const other = freshDir();
    const { store } = openStore(dir);
    const { store: otherStore } = openStore(other);
    await otherStore.writeBatch(batch(20, 3), 3, Date.now() - 10);
    writeFileSync(join(other, 'rejected', 'old.otlp'), 'x');
    await store.writeBatch(batch(20, 4), 4, Date.now());
    expect(store.absorb(other)).toBe(1);
    expect(batchFiles(other)).toEqual([]);
    expect(store.fileCount).toBe(2);
    expect(store.takeOldest()?.spans).toBe(3);
    expect(readdirSync(join(dir, 'rejected'))).toEqual(['old.otlp']);
  });
});
