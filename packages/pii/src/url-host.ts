/**
 * Where the host (and port) of a URL value is: `https://user:pw@HOST:443/path` → the range of
 * `HOST:443`. Undefined when the value does not start with `scheme://`.
 */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\//;

export function urlHostRange(value: string): { start: number; end: number } | undefined {
  const scheme = SCHEME.exec(value);
  if (!scheme) return undefined;
  const authorityStart = scheme[0].length;
  let end = authorityStart;
  let at = -1;
  while (end < value.length) {
    const c = value.charCodeAt(end);
    if (c === 47 || c === 63 || c === 35) break; // / ? #
    if (c === 64) at = end;
    end++;
  }
  const start = at === -1 ? authorityStart : at + 1;
  return end > start ? { start, end } : undefined;
}
