import { diag, type Span } from '@opentelemetry/api';
import { guarded } from '../guard';

/**
 * Runs a span's end-of-call work one macrotask after the read that ended its body: the caller is
 * waiting on that very read, and its `await response.json()` settles first (docs/caller-safety.md
 * row 8). The work is tracked in `completions` (flush() awaits them); if it fails, the span is still ended.
 */
export function completeAfterCallerRead(completions: Set<Promise<void>>, span: Span, endTime: number, what: string, work: () => void | Promise<void>): void {
  const completion = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((failure: unknown) => {
      diag.warn(`llm-otel: completing ${what} failed`, failure);
      guarded('ending a span', () => span.end(endTime), undefined);
    })
    .finally(() => completions.delete(completion));
  completions.add(completion);
}
