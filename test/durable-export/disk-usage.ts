import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Sum of the sizes of every file under `dir` (recursive); 0 if it does not exist. */
export function bytesUnder(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) total += bytesUnder(path);
    else if (stat?.isFile()) total += stat.size;
  }
  return total;
}

/** Files under `dir` (recursive), as paths relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const stat = statSync(join(dir, name), { throwIfNoEntry: false });
    return stat?.isDirectory() ? filesUnder(join(dir, name), `${prefix}${name}/`) : stat?.isFile() ? [`${prefix}${name}`] : [];
  });
}

/** Span ids that arrived, how many arrived more than once. */
export function arrivalSummary(expected: readonly string[], received: readonly { spanId: string }[]) {
  const counts = new Map<string, number>();
  for (const span of received) counts.set(span.spanId, (counts.get(span.spanId) ?? 0) + 1);
  const missing = expected.filter((id) => !counts.has(id));
  const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
  return { missing, duplicates, unique: counts.size };
}
