import { INTEGER_REQUEST_ATTRIBUTES } from '../semconv';
/**
 * Narrow readers for untrusted provider JSON: each returns undefined unless the value has the
 * expected type, so adapters never throw on odd shapes.
 */
export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A string or an array of strings (e.g. `stop`), as a string array. */
export function asStringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  const list = asArray(value)?.filter((item): item is string => typeof item === 'string');
  return list && list.length > 0 ? list : undefined;
}

/** Copies the defined numeric request parameters into attributes. */
export function copyNumbers(
  target: Record<string, number | string | boolean | string[]>,
  source: JsonObject,
  mapping: ReadonlyArray<readonly [attribute: string, field: string]>,
): void {
  for (const [attribute, field] of mapping) setRequestNumber(target, attribute, asNumber(source[field]));
}

/** A numeric request parameter as its attribute: integer-typed ones (top_k, max_tokens, ...) truncated. */
export function setRequestNumber(target: Record<string, number | string | boolean | string[]>, attribute: string, value: number | undefined): void {
  if (value === undefined) return;
  target[attribute] = INTEGER_REQUEST_ATTRIBUTES.has(attribute) ? Math.trunc(value) : value;
}
