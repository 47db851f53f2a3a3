/**
 * The two clocks of the spool, passed in so that tests can step them. The wall clock dates a batch for
 * other processes (it is in the file header and the name); ages within a process are measured on the
 * monotonic clock, which an NTP step or a VM resume does not move (issue: a +20 s step dropped batches
 * 2.5 s old as "older than maxAgeMillis").
 */
export interface SpoolClock {
  /** Unix milliseconds (Date.now()). */
  wallMillis(): number;
  /** Milliseconds that only ever go forward at the rate of real time (performance.now()). */
  monotonicMillis(): number;
}

export const systemClock: SpoolClock = {
  wallMillis: () => Date.now(),
  monotonicMillis: () => performance.now(),
};

/**
 * When, on this process's monotonic clock, a batch dated `wallMillis` (by this or an earlier process)
 * was born. Across processes only the wall clock exists, and it is trusted only as far as it is sane: a
 * date in the future (the clock was stepped back since, or another host's clock is ahead) counts as
 * "born now", so such a batch is never dropped for its age before it has really waited maxAgeMillis here.
 */
export function monotonicBirth(clock: SpoolClock, wallMillis: number): number {
  const age = clock.wallMillis() - wallMillis;
  return clock.monotonicMillis() - (Number.isFinite(age) && age > 0 ? age : 0);
}
