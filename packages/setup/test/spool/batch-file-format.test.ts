import { describe, expect, it } from 'vitest';
import { BATCH_HEADER_BYTES, decodeBatchFile, decodeBatchHeader, encodeBatchFile } from '../../src/spool/batch-file-format';
import { batchFileName, continueAfter, finalNameOfTemp, isBatchFileName, nextBatchFileName } from '../../src/spool/batch-file-name';

const payload = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 256);

describe('batch file format', () => {
  it('round-trips payload, span count and creation time', () => {
    const file = encodeBatchFile(payload, 42, 1_700_000_000_123);
    expect(file.byteLength).toBe(BATCH_HEADER_BYTES + payload.byteLength);
    const decoded = decodeBatchFile(file);
    expect(decoded).toMatchObject({ ok: true, spanCount: 42, createdMillis: 1_700_000_000_123 });
    expect(decoded.ok && Buffer.from(decoded.payload).equals(Buffer.from(payload))).toBe(true);
  });

  it('recognises a torn file by its length', () => {
    const file = encodeBatchFile(payload, 1, Date.now());
    expect(decodeBatchFile(file.subarray(0, file.byteLength - 1))).toEqual({ ok: false, reason: expect.stringContaining('length mismatch') });
    expect(decodeBatchFile(file.subarray(0, 10))).toEqual({ ok: false, reason: expect.stringContaining('shorter') });
    expect(decodeBatchHeader(file, file.byteLength + 5).ok).toBe(false);
  });

  it('recognises a flipped bit in the payload and in the header', () => {
    for (const offset of [BATCH_HEADER_BYTES + 100, 13, 17]) {
      const file = encodeBatchFile(payload, 3, Date.now());
      file[offset] ^= 0x01;
      expect(decodeBatchFile(file)).toEqual({ ok: false, reason: 'checksum mismatch' });
    }
    const wrongMagic = encodeBatchFile(payload, 3, Date.now());
    wrongMagic[0] = 0;
    expect(decodeBatchFile(wrongMagic)).toEqual({ ok: false, reason: 'bad magic' });
  });

  it('names sort by creation time, then sequence', () => {
    const names = [batchFileName(2_000, 1, 7), batchFileName(1_000, 10, 99999), batchFileName(1_000, 9, 1)];
    expect([...names].sort()).toEqual([names[2], names[1], names[0]]);
    expect(names.every(isBatchFileName)).toBe(true);
    expect(finalNameOfTemp(`${names[0]}.tmp`)).toBe(names[0]);
    expect(finalNameOfTemp('lock.12.ab.tmp')).toBeUndefined();
  });

  it('the names a process makes never sort before an earlier one, even when the wall clock steps back or a restart found later names', () => {
    const now = Date.now();
    const made = [nextBatchFileName(now), nextBatchFileName(now - 60_000), nextBatchFileName(now - 1)];
    expect([...made].sort()).toEqual(made);
    const fromEarlierProcess = batchFileName(now + 3_600_000, 1, 1); // its clock was an hour ahead
    continueAfter(fromEarlierProcess);
    const next = nextBatchFileName(now);
    expect([fromEarlierProcess, next].sort()).toEqual([fromEarlierProcess, next]);
    expect(isBatchFileName(next)).toBe(true);
  });
});
