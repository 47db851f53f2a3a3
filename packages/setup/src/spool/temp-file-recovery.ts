import { diag } from '@opentelemetry/api';
import { existsSync, lstatSync, readFileSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBatchFile } from './batch-file-format';
import { finalNameOfTemp } from './batch-file-name';
import { syncDirectorySync } from './durable-write';

/*
 * A `.tmp` left by a crash was never counted as durable. If it is complete (its checksum holds) it is
 * recovered under its final name, which only adds spans that would otherwise be lost; a torn one is
 * removed. Anything named like a temp file that is not a regular file is left alone. Call this only for
 * a directory whose lock you hold.
 */
export function recoverTempFiles(dir: string): { recovered: number; removed: number } {
  let recovered = 0;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const finalName = finalNameOfTemp(name);
    if (finalName === undefined) continue;
    const path = join(dir, name);
    try {
      if (!lstatSync(path).isFile()) continue;
      if (decodeBatchFile(readFileSync(path)).ok && !existsSync(join(dir, finalName))) {
        renameSync(path, join(dir, finalName));
        recovered += 1;
      } else {
        unlinkSync(path);
        removed += 1;
      }
    } catch (error) {
      diag.warn(`llm-otel spool: could not recover ${path}: ${(error as Error).message}`);
    }
  }
  if (recovered + removed > 0) syncDirectorySync(dir);
  return { recovered, removed };
}
