/**
 * `error.type` for a failure before or during the response body: the system error code when Node
 * gives one (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET), else the error's name (AbortError, TimeoutError).
 * undici's fetch wraps network failures in `TypeError('fetch failed')` with the real error as `cause`.
 */
export function networkErrorType(error: unknown): string {
  const visited = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !visited.has(current)) {
    visited.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as { cause?: unknown }).cause;
  }
  if (error instanceof Error) return error.name === 'Error' ? 'Error' : error.name;
  return '_OTHER';
}
