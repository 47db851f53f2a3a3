/**
 * Collects every unhandled rejection and uncaught exception while a test runs. Vitest reports them
 * too, but only after the run; a test that asserts on this list fails on the spot, with the error.
 */
export interface ProcessFailures {
  readonly errors: unknown[];
  stop(): void;
}

export function watchProcessFailures(): ProcessFailures {
  const errors: unknown[] = [];
  const record = (error: unknown) => errors.push(error);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
  return {
    errors,
    stop() {
      process.off('unhandledRejection', record);
      process.off('uncaughtException', record);
    },
  };
}
