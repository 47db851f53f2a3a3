/**
 * Milliseconds since the epoch with sub-millisecond precision, as OpenTelemetry takes times. Its own
 * file: the hooks take a call's start time before any span exists, so the clock is not the span's.
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}
