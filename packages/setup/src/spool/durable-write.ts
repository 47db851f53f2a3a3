import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX } from './batch-file-name';

/*
 * Write to `<name>.tmp` (created exclusively, mode 0600), fsync it, rename it to `<name>`, fsync the
 * directory. Only after the directory fsync does the file survive a power cut under its final name;
 * a crash before leaves a `.tmp` that start-up recovers (complete) or removes (torn).
 */
export const FILE_MODE = 0o600;

export async function writeFileDurably(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const temp = join(dir, name + TEMP_SUFFIX);
  const handle = await open(temp, 'wx', FILE_MODE);
  try {
    let offset = 0;
    while (offset < bytes.byteLength) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset);
      offset += bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, join(dir, name));
  await syncDirectory(dir);
}

/** The same protocol without yielding: used only by the spill path, see spooling-span-processor.ts. */
export function writeFileDurablySync(dir: string, name: string, bytes: Uint8Array): void {
  const temp = join(dir, name + TEMP_SUFFIX);
  const fd = openSync(temp, 'wx', FILE_MODE);
  try {
    let offset = 0;
    while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
  closeSync(fd);
  renameSync(temp, join(dir, name));
  syncDirectorySync(dir);
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function syncDirectorySync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
