import { readEnvInteger, type EnvWarn } from './env-diagnostics';
import type { BatchOptions } from './options';

/**
 * The batch options, each from the option or else its OTEL_BSP_* variable, checked. Resolved here
 * rather than left to BatchSpanProcessor, which takes any number from the environment (a queue size
 * of -3 was accepted in silence), and so that the spool's queue, which never read OTEL_BSP_*, gets
 * the same values. An unset or malformed variable leaves the key out: the processor's default applies.
 */
const VARIABLES: Record<keyof BatchOptions, string> = {
  maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE',
  maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
};

export function resolveBatchOptions(options: BatchOptions | undefined, env: NodeJS.ProcessEnv, warn: EnvWarn): BatchOptions {
  const resolved: BatchOptions = {};
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof BatchOptions, string][]) {
    const fromOption = options?.[key];
    if (fromOption !== undefined) {
      const min = key === 'scheduledDelayMillis' ? 0 : 1;
      if (!Number.isSafeInteger(fromOption) || fromOption < min) throw new Error(`llm-otel: the batch option ${key} must be an integer of at least ${min}`);
      resolved[key] = fromOption;
      continue;
    }
    // A schedule delay of 0 is meaningful (export at once); sizes and the timeout must be positive.
    const value = readEnvInteger(env, variable, warn, key === 'scheduledDelayMillis' ? 0 : 1);
    if (value !== undefined) resolved[key] = value;
  }
  return resolved;
}
