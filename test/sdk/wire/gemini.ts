import { sseEvents } from '@llm-otel/provider-stand-in';
import { jsonArrayBody, sseBody } from '../../../packages/instrumentation/test/support/wire-bodies';

type Json = Record<string, unknown>;

/** What the thinking answer below reports, for the assertions. */
export const THINKING_ANSWER = {
  model: 'gemini-2.5-flash',
  responseId: 'mTCraL2_F6vXz7IPkKfE2Qw',
  prompt: 1312,
  /** Implicit cache hit, counted inside promptTokenCount. */
  cached: 1024,
  candidates: 14,
  /** Reported apart from candidatesTokenCount; semconv output tokens include them. */
  thoughts: 187,
};

const THOUGHT = '**Confirming the refund window**\n\nThe policy in the system prompt allows refunds within 30 days of delivery. ';
const ANSWER = ['Yes: you can return it', ' within 30 days of delivery.'];

function usageMetadata(candidates: number | undefined): Json {
  const { prompt, cached, thoughts } = THINKING_ANSWER;
  return {
    promptTokenCount: prompt,
    ...(candidates === undefined ? {} : { candidatesTokenCount: candidates }),
    totalTokenCount: prompt + thoughts + (candidates ?? 0),
    cachedContentTokenCount: cached,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
    cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }],
    thoughtsTokenCount: thoughts,
  };
}

function element(parts: Json[], candidates: number | undefined, finishReason?: string): Json {
  return {
    candidates: [{ content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    usageMetadata: usageMetadata(candidates),
    modelVersion: THINKING_ANSWER.model,
    responseId: THINKING_ANSWER.responseId,
  };
}

/** A whole `generateContent` answer of gemini-2.5-flash with `includeThoughts`: a thought part, then the answer. */
export function thinkingAnswer(): Json {
  return element([{ text: THOUGHT, thought: true }, { text: ANSWER.join('') }], THINKING_ANSWER.candidates, 'STOP');
}

/**
 * The same answer streamed: a thought element (usage so far: prompt and thoughts, no candidates),
 * then the answer in pieces, each element repeating the running usage; the last has `finishReason`.
 */
function thinkingStreamElements(): Json[] {
  return [
    element([{ text: THOUGHT, thought: true }], undefined),
    element([{ text: ANSWER[0] }], 6),
    element([{ text: ANSWER[1] }], THINKING_ANSWER.candidates, 'STOP'),
  ];
}

/** `streamGenerateContent?alt=sse`: one `data:` line per element, CRLF-delimited as Google sends it. */
export function thinkingSseStream(): string[] {
  return sseEvents(
    sseBody(
      thinkingStreamElements().map((data) => [undefined, data] as const),
      '\r\n',
    ),
  );
}

/** `streamGenerateContent` without `alt=sse`: one JSON array, sent element by element. */
export function thinkingJsonArrayStream(): string[] {
  const body = jsonArrayBody(thinkingStreamElements());
  // Cut after each element's closing brace, as the API flushes them.
  return body.split(/(?<=\n\})/);
}

/** A Google API error body, e.g. 503 UNAVAILABLE. */
export function googleErrorBody(code: number, status: string, message: string): string {
  return JSON.stringify({ error: { code, message, status } }, null, 2);
}
