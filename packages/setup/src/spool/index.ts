export { SpoolingSpanProcessor, createSpoolingSpanProcessor } from './spooling-span-processor';
export type { SpoolProcessorOptions } from './spool-options';
export { DEFAULT_SPOOL_MAX_AGE_MILLIS, DEFAULT_SPOOL_MAX_BYTES } from './spool-options';
export type { SpoolStats } from './spool-stats';
export type { SpoolClock } from './spool-clock';
export { readSpoolEnv } from './spool-env';
