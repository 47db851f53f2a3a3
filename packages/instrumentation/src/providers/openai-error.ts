import type { ProviderError } from './adapter';
import { asObject, asString } from './json-access';

/**
 * OpenAI-style error bodies: `{"error": {"message", "type", "code"}}` (OpenAI, Azure, most
 * OpenAI-compatible servers) or `{"error": "text"}` / `{"message": "..."}` (vLLM, Ollama, proxies).
 * The code is the most specific type (`rate_limit_exceeded`, `insufficient_quota`), then the type.
 */
export function parseOpenAiError(body: unknown): ProviderError {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 1024) } : {};
  const root = asObject(body);
  const error = asObject(root?.error);
  if (error) {
    const code = error.code;
    const type = typeof code === 'string' ? code : typeof code === 'number' ? String(code) : asString(error.type);
    return { type, message: asString(error.message) };
  }
  return { message: asString(root?.error) ?? asString(root?.message) ?? asString(root?.detail) };
}
