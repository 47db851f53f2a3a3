import { diag } from '@opentelemetry/api';
import { maskDiagnostic, warnSetup } from './env-diagnostics';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
// getActiveResourcesInfo() lists the standard streams too, though they keep no loop alive: when
// beforeExit fires, nothing else was pending, so anything else is work a listener just scheduled.
const STDIO_RESOURCES = new Set(['PipeWrap', 'TTYWrap']);

/**
 * Flushes telemetry when the process is asked to stop or runs out of work, without changing how it
 * exits. A signal listener suppresses Node's default action (exit), so when the application has no
 * listener of its own we remove ours after the flush and raise the signal again: the process then
 * dies of that signal (exit status 128 + n), exactly as without us. `beforeExit` is handled once,
 * because the flush itself schedules work and Node would emit it again.
 */
export function installExitFlush(flush: () => Promise<void>): () => void {
  let flushing: Promise<void> | undefined;
  const flushOnce = () => (flushing ??= flush().catch((error: unknown) => diag.error(maskDiagnostic(`llm-otel: flush at exit failed: ${String(error)}`))));

  const onSignal = (signal: NodeJS.Signals) => {
    void flushOnce().then(() => {
      process.removeListener(signal, onSignal);
      // Only our listener was there: restore the default action.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const onBeforeExit = () => {
    process.removeListener('beforeExit', onBeforeExit);
    // Let the application's own beforeExit listeners run first, then look: if they scheduled no
    // work, the process was about to exit. Our flush gives the loop new work, after which Node would
    // emit beforeExit a second time to every listener and, with a hanging backend, wait for the
    // exporter's own timeout; ending the process once the flush (or its deadline) is done exits it
    // as it would have without us, with its exit code, 'exit' listeners included.
    setImmediate(() => {
      const applicationIsIdle = process.getActiveResourcesInfo().every((type) => STDIO_RESOURCES.has(type));
      void flushOnce().then(() => {
        // One more turn first: process warnings raised during the flush (a failed export, a missed
        // deadline) are written on the next tick, and would be lost to process.exit().
        if (applicationIsIdle) setImmediate(() => process.exit());
      });
    });
  };

  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('beforeExit', onBeforeExit);
  return () => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
    process.removeListener('beforeExit', onBeforeExit);
  };
}

/** Resolves when `work` does or when `millis` have passed, whichever comes first; logs the latter. */
export function withDeadline(work: Promise<void>, millis: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      // Visible by default: a dead or hanging backend holds every exit for this long.
      warnSetup(`llm-otel: flush did not finish within ${millis} ms (the OTLP backend did not answer); continuing. shutdownTimeoutMillis bounds this wait`);
      resolve();
    }, millis);
    // Referenced on purpose: an application awaiting shutdown() as its last line must see it
    // settle, and an unreferenced timer would let the loop empty first (exit code 13).
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
