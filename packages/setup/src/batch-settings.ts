import { nonEmpty, readEnvInteger, type EnvWarn } from './env-diagnostics';
import type { BatchOptions } from './options';

/**
 * The batch options, each from the option or else its OTEL_BSP_* variable, checked. Resolved here
 * rather than left to BatchSpanProcessor, which takes any number from the environment (a queue size
 * of -3 was accepted in silence), and so that the spool's queue, which never read OTEL_BSP_*, gets
 * the same values. An unset variable leaves its key out (each processor's own default applies; the
 * spool's flush interval is 1 s, not 5). A malformed one gets the specification's default, set
 * explicitly: a key left out would make BatchSpanProcessor read the malformed variable itself (a queue
 * of -3 dropped every span).
 */
const VARIABLES: Record<keyof BatchOptions, { variable: string; fallback: number }> = {
  maxQueueSize: { variable: 'OTEL_BSP_MAX_QUEUE_SIZE', fallback: 2048 },
  maxExportBatchSize: { variable: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', fallback: 512 },
  scheduledDelayMillis: { variable: 'OTEL_BSP_SCHEDULE_DELAY', fallback: 5000 },
  exportTimeoutMillis: { variable: 'OTEL_BSP_EXPORT_TIMEOUT', fallback: 30_000 },
};

export function resolveBatchOptions(options: BatchOptions | undefined, env: NodeJS.ProcessEnv, warn: EnvWarn): BatchOptions {
  const resolved: BatchOptions = {};
  for (const [key, { variable, fallback }] of Object.entries(VARIABLES) as [keyof BatchOptions, { variable: string; fallback: number }][]) {
    const fromOption = options?.[key];
    if (fromOption !== undefined) {
      const min = key === 'scheduledDelayMillis' ? 0 : 1;
      if (!Number.isSafeInteger(fromOption) || fromOption < min) throw new Error(`llm-otel: the batch option ${key} must be an integer of at least ${min}`);
      resolved[key] = fromOption;
      continue;
    }
    // A schedule delay of 0 is meaningful (export at once); sizes and the timeout must be positive.
    if (nonEmpty(env[variable]) === undefined) continue;
    resolved[key] = readEnvInteger(env, variable, warn, key === 'scheduledDelayMillis' ? 0 : 1) ?? fallback;
  }
  return resolved;
}
