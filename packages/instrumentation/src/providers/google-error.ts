import type { ProviderError } from './adapter';
import { asArray, asObject, asString } from './json-access';

/**
 * Google API error bodies: `{"error": {"code": 429, "message", "status": "RESOURCE_EXHAUSTED"}}`,
 * also wrapped in an array by streaming endpoints. The status is the type.
 */
export function parseGoogleError(body: unknown): ProviderError {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 1024) } : {};
  const root = asObject(body) ?? asObject(asArray(body)?.[0]);
  const error = asObject(root?.error);
  if (!error) return {};
  const code = typeof error.code === 'number' ? String(error.code) : undefined;
  return { type: asString(error.status) ?? code, message: asString(error.message) };
}
