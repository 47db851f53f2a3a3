import type { Refusal } from '@llm-otel/instrumentation';

/**
 * The refusal of a hard stop, in the provider's own error shape so that its SDK raises its usual API
 * error with our message. Status 402 (Payment Required) with `x-should-retry: false`: openai and
 * @anthropic-ai/sdk obey the header (client.js shouldRetry), and 402 is outside the retried statuses
 * of every SDK we checked (openai/anthropic: 408, 409, 429, >= 500; @google/genai: 408, 429, 500,
 * 502-504; the AI SDK's APICallError: 408, 409, 429, >= 500), so none of them sends it again.
 */
export function refusalFor(provider: string, message: string, budget: string): Refusal {
  const headers = { 'content-type': 'application/json', 'x-should-retry': 'false', 'x-llm-otel-budget': encodeURIComponent(budget) };
  let body: unknown;
  if (provider === 'anthropic') body = { type: 'error', error: { type: 'budget_exceeded_error', message } };
  else if (provider === 'gcp.gemini' || provider === 'gcp.vertex_ai' || provider === 'gcp.gen_ai')
    body = { error: { code: 402, message, status: 'FAILED_PRECONDITION' } };
  else body = { error: { message, type: 'budget_exceeded', param: null, code: 'budget_exceeded' } };
  return { status: 402, headers, body: JSON.stringify(body) };
}
