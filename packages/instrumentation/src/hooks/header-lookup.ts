/**
 * Reads one request header from whatever form the caller passed, without copying them all into a
 * Headers object (which costs more than the rest of the request inspection together):
 * fetch's `Headers`, `[name, value][]` or a record, and undici's flat `[name, value, ...]` array.
 * `name` is lower case.
 */
export function readHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  if (Array.isArray(headers)) return arrayHeader(headers, name);
  if (Symbol.iterator in headers) return arrayHeader([...(headers as Iterable<unknown>)], name);
  for (const key in headers) {
    if (key.toLowerCase() === name) return joined((headers as Record<string, unknown>)[key]);
  }
  return undefined;
}

function arrayHeader(headers: unknown[], name: string): string | undefined {
  if (headers.length > 0 && Array.isArray(headers[0])) {
    for (const pair of headers as unknown[][]) if (String(pair[0]).toLowerCase() === name) return joined(pair[1]);
    return undefined;
  }
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return joined(headers[i + 1]);
  }
  return undefined;
}

function joined(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}
