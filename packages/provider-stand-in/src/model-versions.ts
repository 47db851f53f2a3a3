/**
 * The dated snapshot OpenAI reports in `model` for an alias the request used, as the real API does
 * (a request for `gpt-4o-mini` is answered by `gpt-4o-mini-2024-07-18`).
 */
const SNAPSHOTS: Record<string, string> = {
  'gpt-3.5-turbo': 'gpt-3.5-turbo-0125',
  'gpt-4': 'gpt-4-0613',
  'gpt-4-turbo': 'gpt-4-turbo-2024-04-09',
  'gpt-4o': 'gpt-4o-2024-08-06',
  'gpt-4o-mini': 'gpt-4o-mini-2024-07-18',
  'gpt-4.1': 'gpt-4.1-2025-04-14',
  'gpt-4.1-mini': 'gpt-4.1-mini-2025-04-14',
  'gpt-4.1-nano': 'gpt-4.1-nano-2025-04-14',
  o1: 'o1-2024-12-17',
  'o3-mini': 'o3-mini-2025-01-31',
  o3: 'o3-2025-04-16',
  'o4-mini': 'o4-mini-2025-04-16',
  'gpt-5': 'gpt-5-2025-08-07',
  'gpt-5-mini': 'gpt-5-mini-2025-08-07',
  'gpt-5-nano': 'gpt-5-nano-2025-08-07',
};

/** The model name the response carries; unknown and already dated names come back unchanged. */
export function respondedModel(requestedModel: string): string {
  return SNAPSHOTS[requestedModel] ?? requestedModel;
}

/** Models that think before answering and report reasoning tokens. */
export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}
