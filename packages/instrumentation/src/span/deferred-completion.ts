import { diag, type Span } from '@opentelemetry/api';
import { guarded } from '../guard';

/**
 * Runs a span's end-of-call work one macrotask after the read that ended its body: the caller is
 * waiting on that very read, and its `await response.json()` settles first (docs/caller-safety.md
 * row 8). The work is tracked in `completions` (flush() awaits them); if it fails, the span is still ended.
 *
 * The work runs inside the Immediate itself, and one promise tracks it (issue 11: a promise for the
 * Immediate, then `.then`, `.catch` and `.finally` were four promises per call, each with its
 * async-hooks bookkeeping under the AsyncLocalStorage context manager every OTel app runs). Work
 * that returns a promise (a token estimate) is followed until it settles.
 */
export function completeAfterCallerRead(completions: Set<Promise<void>>, span: Span, endTime: number, what: string, work: () => void | Promise<void>): void {
  let settle!: () => void;
  const completion = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const done = () => {
    completions.delete(completion);
    settle();
  };
  // Runs inside the Immediate: nothing may escape it (an uncaught exception there ends the app).
  const failed = (failure: unknown) => {
    try {
      diag.warn(`llm-otel: completing ${what} failed`, failure);
      guarded('ending a span', () => span.end(endTime), undefined);
    } catch {
      // A diagnostic logger that throws: the span is left as it is.
    } finally {
      done();
    }
  };
  completions.add(completion);
  setImmediate(() => {
    let pending: void | Promise<void>;
    try {
      pending = work();
    } catch (failure) {
      failed(failure);
      return;
    }
    if (pending) pending.then(done, failed);
    else done();
  });
}
