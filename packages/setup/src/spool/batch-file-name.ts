/*
 * Names sort by creation time, then by a per-process sequence, so "oldest first" is a sort of names
 * even after files of several processes were adopted into one directory; the pid keeps names unique.
 */
const BATCH_NAME = /^(\d{14})-(\d{10})-(\d+)\.otlp$/;
export const TEMP_SUFFIX = '.tmp';

export function batchFileName(createdMillis: number, sequence: number, pid = process.pid): string {
  return `${String(Math.trunc(createdMillis)).padStart(14, '0')}-${String(sequence).padStart(10, '0')}-${pid}.otlp`;
}

export function isBatchFileName(name: string): boolean {
  return BATCH_NAME.test(name);
}

/** A temp file is the final name plus `.tmp`; `undefined` for anything else. */
export function finalNameOfTemp(name: string): string | undefined {
  if (!name.endsWith(TEMP_SUFFIX)) return undefined;
  const finalName = name.slice(0, -TEMP_SUFFIX.length);
  return isBatchFileName(finalName) ? finalName : undefined;
}
