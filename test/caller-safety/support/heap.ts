import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Vitest's forks do not run with --expose-gc; the flag can still be set at run time, and a new
// context then exposes `gc`.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** One full collection now. */
export function collectGarbage(): void {
  collect();
}

/** Heap in use after full collections, once finalizers and pending span ends have had their turn. */
export async function settledHeapBytes(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    collect();
  }
  return process.memoryUsage().heapUsed;
}
