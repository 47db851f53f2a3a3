import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './temp-dirs';
import { encodeBatchFile } from '../../src/spool/batch-file-format';
import { batchFileName } from '../../src/spool/batch-file-name';
import { DropReport } from '../../src/spool/drop-report';
import { SpoolCounters } from '../../src/spool/spool-stats';
import { systemClock } from '../../src/spool/spool-clock';
import { SpoolStore } from '../../src/spool/spool-store';

const freshDir = useTempDirs('spool-store-');

function batch(size: number, spans = 10, created = Date.now()): Buffer {
  return encodeBatchFile(new Uint8Array(size).fill(spans), spans, created);
}

function openStore(dir: string, maxBytes = 1 << 20, maxAgeMillis = 3_600_000) {
  const counters = new SpoolCounters();
  const drops = new DropReport();
  return { store: new SpoolStore(dir, maxBytes, maxAgeMillis, counters, drops, systemClock), counters, drops };
}

class SteppingClock {
  wall = 1_800_000_000_000;
  monotonic = 1_000;
  wallMillis = () => this.wall;
  monotonicMillis = () => this.monotonic;
}

function takeOldest(store: SpoolStore) {
  const entry = store.oldest();
  if (entry) store.take(entry);
  return entry;
}

function batchFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.otlp'))
    .sort();
}

describe('spool store', () => {
  it('writes files 0600, hands them out oldest first and deletes what was sent', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir);
    expect(await store.writeBatch({ file: batch(100, 1), spans: 1, createdMillis: Date.now() })).toBe(true);
    expect(store.writeBatchSync({ file: batch(100, 2), spans: 2, createdMillis: Date.now() })).toBe(true);
    const [first] = batchFiles(dir);
    expect((statSync(join(dir, first)).mode & 0o777).toString(8)).toBe('600');
    expect(store.fileCount).toBe(2);
    expect(store.bytesOnDisk).toBe(2 * (100 + 28));
    const oldest = takeOldest(store);
    expect(oldest).toMatchObject({ name: first, spans: 1 });
    const read = await store.read(oldest!);
    expect(read.ok && read.payload[0]).toBe(1);
    store.settleSent(oldest!);
    expect(counters.sentBatches).toBe(1);
    expect(batchFiles(dir)).toHaveLength(1);
    expect(takeOldest(store)?.spans).toBe(2);
  });

  it('evicts the oldest batch, never the one in flight, to stay under maxBytes, counting the loss', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir, 3 * 128);
    for (let i = 1; i <= 3; i++) await store.writeBatch({ file: batch(100, i), spans: i, createdMillis: Date.now() });
    const inFlight = takeOldest(store)!;
    expect(inFlight.spans).toBe(1);
    await store.writeBatch({ file: batch(100, 4), spans: 4, createdMillis: Date.now() });
    expect(counters).toMatchObject({ droppedBatches: 1, droppedSpans: 2 });
    expect(store.bytesOnDisk).toBeLessThanOrEqual(3 * 128);
    // A batch bigger than the whole bound is itself the loss.
    expect(await store.writeBatch({ file: batch(1000, 9), spans: 9, createdMillis: Date.now() })).toBe(false);
    expect(counters).toMatchObject({ droppedBatches: 2, droppedSpans: 11 });
    store.settleSent(inFlight);
    expect(batchFiles(dir).map((name) => readFileSync(join(dir, name))[28])).toEqual([3, 4]);
  });

  it('drops batches older than maxAge, counted', async () => {
    const dir = freshDir();
    const { store, counters } = openStore(dir, 1 << 20, 60_000);
    const old = Date.now() - 120_000;
    await store.writeBatch({ file: batch(10, 5, old), spans: 5, createdMillis: old });
    await store.writeBatch({ file: batch(10, 6), spans: 6, createdMillis: Date.now() });
    expect(takeOldest(store)?.spans).toBe(6);
    expect(counters).toMatchObject({ droppedBatches: 1, droppedSpans: 5 });
  });

  it('measures age on the monotonic clock: a wall-clock step of +20 s drops nothing fresh', async () => {
    const clock = new SteppingClock();
    const dir = freshDir();
    const counters = new SpoolCounters();
    const store = new SpoolStore(dir, 1 << 20, 5_000, counters, new DropReport(), clock);
    await store.writeBatch({ file: batch(10, 1, clock.wallMillis()), spans: 1, createdMillis: clock.wallMillis() });
    clock.wall += 20_000; // NTP step or VM resume
    clock.monotonic += 2_500;
    expect(store.oldest()?.spans).toBe(1);
    expect(counters.droppedSpans).toBe(0);
    clock.monotonic += 2_501;
    expect(store.oldest()).toBeUndefined();
    expect(counters.droppedSpans).toBe(1);
  });

  it('across restarts trusts a batch date only when it is in the past: a batch "from the future" waits its full maxAge', () => {
    const clock = new SteppingClock();
    const dir = freshDir();
    const future = clock.wallMillis() + 3_600_000;
    const past = clock.wallMillis() - 4_000;
    writeFileSync(join(dir, batchFileName(past, 1, 1)), batch(10, 1, past));
    writeFileSync(join(dir, batchFileName(future, 2, 1)), batch(10, 2, future));
    const counters = new SpoolCounters();
    const store = new SpoolStore(dir, 1 << 20, 5_000, counters, new DropReport(), clock);
    expect(store.fileCount).toBe(2);
    clock.monotonic += 1_001; // the past batch is now 5,001 ms old
    expect(store.oldest()?.spans).toBe(2);
    expect(counters.droppedSpans).toBe(1);
    clock.monotonic += 4_000; // the future batch has waited 5,001 ms here
    expect(store.oldest()).toBeUndefined();
    expect(counters.droppedSpans).toBe(3);
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
    await store.writeBatch({ file: batch(50, 1), spans: 1, createdMillis: Date.now() });
    await store.writeBatch({ file: batch(50, 2), spans: 2, createdMillis: Date.now() });
    const [bad] = batchFiles(dir);
    const bytes = readFileSync(join(dir, bad));
    bytes[40] ^= 0xff;
    writeFileSync(join(dir, bad), bytes);
    const first = takeOldest(store)!;
    expect(await store.read(first)).toEqual({ ok: false, reason: 'checksum mismatch' });
    expect(counters.quarantinedFiles).toBe(1);
    const second = takeOldest(store)!;
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
    await otherStore.writeBatch({ file: batch(20, 3), spans: 3, createdMillis: Date.now() - 10 });
    writeFileSync(join(other, 'rejected', 'old.otlp'), 'x');
    await store.writeBatch({ file: batch(20, 4), spans: 4, createdMillis: Date.now() });
    expect(store.absorb(other)).toBe(1);
    expect(batchFiles(other)).toEqual([]);
    expect(store.fileCount).toBe(2);
    expect(takeOldest(store)?.spans).toBe(3);
    expect(readdirSync(join(dir, 'rejected'))).toEqual(['old.otlp']);
  });
});
