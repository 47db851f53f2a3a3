/** Narrow readers for untrusted JSON: each returns undefined rather than throwing. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function arrayAt(value: JsonObject, key: string): unknown[] {
  const found = value[key];
  return Array.isArray(found) ? found : [];
}

export function stringAt(value: JsonObject, key: string): string | undefined {
  const found = value[key];
  return typeof found === 'string' ? found : undefined;
}

/** A whole number of some unit, given as a JSON number or a decimal string (int64 in OTLP JSON). */
export function bigintOf(value: unknown): bigint | undefined {
  if (typeof value === 'string' && /^-?\d{1,30}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  return undefined;
}

/** A trace id (16 bytes) or span id (8 bytes): hex as OTLP JSON writes it, or base64 as Tempo's protobuf JSON does. */
export function idOf(value: unknown, bytes: 8 | 16): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase();
  // Jaeger 1.x drops leading zeros of ids.
  if (value.length > 0 && value.length < bytes * 2 && /^[0-9a-fA-F]+$/.test(value)) return value.toLowerCase().padStart(bytes * 2, '0');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return undefined;
}

export class ReadProblem extends Error {}
