/*
 * Names sort by a time, then by a per-process sequence, so "oldest first" is a sort of names even after
 * files of several processes were adopted into one directory; the pid keeps names unique.
 *
 * The order of the names is the order in which batches are sent (and the order an integrity chain over
 * batches follows). So that it is well defined when the wall clock steps back, the time in a name never
 * goes below the time in any name this process has made or found on disk: a batch made later always
 * sorts later in its directory, and a restart continues after the batches it found.
 */
const BATCH_NAME = /^(\d{14})-(\d{10})-(\d+)\.otlp$/;
export const TEMP_SUFFIX = '.tmp';

/** Process-wide, so names stay unique when one process adopts another directory of its own. */
let sequence = 0;
let latestNameMillis = 0;

export function batchFileName(createdMillis: number, sequenceNumber: number, pid = process.pid): string {
  return `${String(Math.trunc(createdMillis)).padStart(14, '0')}-${String(sequenceNumber).padStart(10, '0')}-${pid}.otlp`;
}

/** The name of the next batch this process makes (see above: never sorting before an earlier one). */
export function nextBatchFileName(createdMillis: number): string {
  latestNameMillis = Math.max(latestNameMillis, Math.trunc(createdMillis));
  sequence += 1;
  return batchFileName(latestNameMillis, sequence);
}

/** Names made from now on sort after `name` (a batch found on disk). */
export function continueAfter(name: string): void {
  const match = BATCH_NAME.exec(name);
  if (match) latestNameMillis = Math.max(latestNameMillis, Number(match[1]));
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
