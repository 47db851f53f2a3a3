import { diag } from '@opentelemetry/api';

/**
 * Runs work of ours that sits inline with the caller's request (a hook step, an adapter reading
 * provider JSON, a span update) and never lets it throw: a failure is reported on the diagnostic
 * logger, always at warn level, and `fallback` is returned. The one guard of the call path: every
 * failure of ours is a defect worth seeing, and none may reach the caller.
 */
export function guarded<T>(what: string, work: () => T, fallback: T): T {
  try {
    return work();
  } catch (error) {
    diag.warn(`llm-otel: ${what} failed (the call itself is unaffected)`, error);
    return fallback;
  }
}
