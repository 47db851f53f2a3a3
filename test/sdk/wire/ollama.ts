import { ndjsonBody } from '../../../packages/instrumentation/test/support/wire-bodies';

/**
 * Ollama's native API as `ollama serve` answers it: NDJSON (`application/x-ndjson`), one object per
 * line, each with `model`, `created_at` and `done`; pieces in `message.content` (/api/chat) or
 * `response` (/api/generate); the last line has `done: true`, `done_reason` and the counts
 * (`prompt_eval_count`, `eval_count`) with durations in nanoseconds. With `"stream": false` the
 * same last line, holding the whole text, is the JSON body.
 */
export const OLLAMA_ANSWER = {
  model: 'llama3.2',
  pieces: ['Your', ' order', ' A-1234', ' shipped', ' yesterday', '.'],
  promptEvalCount: 32,
  evalCount: 7,
};

const timings = { total_duration: 4_353_619_900, load_duration: 63_915_300, prompt_eval_duration: 246_847_000, eval_duration: 4_032_296_000 };
const createdAt = (index: number) => `2026-10-26T17:15:24.${String(97_767 + index * 11_405).padStart(6, '0')}Z`;

function lines(kind: 'chat' | 'generate'): Record<string, unknown>[] {
  const { model, pieces, promptEvalCount, evalCount } = OLLAMA_ANSWER;
  const text = (piece: string) => (kind === 'chat' ? { message: { role: 'assistant', content: piece } } : { response: piece });
  return [
    ...pieces.map((piece, index) => ({ model, created_at: createdAt(index), ...text(piece), done: false })),
    {
      model,
      created_at: createdAt(pieces.length),
      ...text(''),
      done: true,
      done_reason: 'stop',
      ...timings,
      prompt_eval_count: promptEvalCount,
      eval_count: evalCount,
    },
  ];
}

/** The streamed answer, one NDJSON line per chunk. */
export function ollamaStream(kind: 'chat' | 'generate'): string[] {
  return ndjsonBody(lines(kind)).split(/(?<=\n)/);
}

/** The `"stream": false` answer: the done line with the whole text. */
export function ollamaWhole(kind: 'chat' | 'generate'): string {
  const done = lines(kind).at(-1)!;
  const whole = OLLAMA_ANSWER.pieces.join('');
  return JSON.stringify({ ...done, ...(kind === 'chat' ? { message: { role: 'assistant', content: whole } } : { response: whole }) });
}
