// Fixed for the life of the process: read once (its getter ran on every call, issue 11).
const timeOrigin = performance.timeOrigin;

/**
 * Milliseconds since the epoch with sub-millisecond precision, as OpenTelemetry takes times. Its own
 * file: the hooks take a call's start time before any span exists, so the clock is not the span's.
 */
export function now(): number {
  return timeOrigin + performance.now();
}
