/** Honour a backend's Retry-After, but not beyond this: a wrong header must not stall the spool for hours. */
const MAX_RETRY_AFTER_MILLIS = 5 * 60_000;

/** Exponential backoff with ±20 % jitter, at least what the backend asked for. */
export function retryDelayMillis(
  failures: number,
  initialMillis: number,
  maxMillis: number,
  retryAfterMillis?: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMillis, initialMillis * 2 ** Math.max(0, failures - 1));
  const jittered = exponential * (0.8 + 0.4 * random());
  const asked = retryAfterMillis === undefined ? 0 : Math.min(retryAfterMillis, MAX_RETRY_AFTER_MILLIS);
  return Math.round(Math.max(jittered, asked));
}

/** `Retry-After: <seconds>` or `Retry-After: <HTTP date>`, in milliseconds from now. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
