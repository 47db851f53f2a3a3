import { sseEvents, type RecordedRequest, type ScriptedResponse, type ScriptedRoute } from '@llm-otel/provider-stand-in';
import { sseBody } from '../../../packages/instrumentation/test/support/wire-bodies';

type Json = Record<string, unknown>;

/**
 * The SSE events the Responses API sends when `final` (a whole `response` object, e.g. a recorded
 * one) is streamed: `response.created` and `response.in_progress` with the response still empty,
 * then per message item `output_item.added`, `content_part.added`, the `output_text.delta`s,
 * `output_text.done`, `content_part.done`, `output_item.done`, and last `response.completed`, which
 * repeats the whole output and alone carries the usage. Every event names its type twice (the SSE
 * `event:` field and `type`) and carries a `sequence_number`; there is no `[DONE]`.
 */
export function responsesStreamEvents(final: Json): string[] {
  const events: [string, Json][] = [];
  const emit = (type: string, fields: Json) => events.push([type, { type, sequence_number: events.length, ...fields }]);
  const pending = { ...final, status: 'in_progress', completed_at: null, output: [], usage: null };
  emit('response.created', { response: pending });
  emit('response.in_progress', { response: pending });
  const output = (final.output as Json[] | undefined) ?? [];
  output.forEach((item, outputIndex) => {
    if (item.type !== 'message') {
      emit('response.output_item.added', { output_index: outputIndex, item });
      emit('response.output_item.done', { output_index: outputIndex, item });
      return;
    }
    const itemId = item.id;
    emit('response.output_item.added', { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } });
    const parts = (item.content as Json[] | undefined) ?? [];
    parts.forEach((part, contentIndex) => {
      const text = String(part.text ?? '');
      const at = { item_id: itemId, output_index: outputIndex, content_index: contentIndex };
      emit('response.content_part.added', { ...at, part: { ...part, text: '' } });
      for (const piece of wordPieces(text)) {
        emit('response.output_text.delta', { ...at, delta: piece, logprobs: [], obfuscation: 'x'.repeat(1 + (piece.length % 9)) });
      }
      emit('response.output_text.done', { ...at, text, logprobs: [] });
      emit('response.content_part.done', { ...at, part });
    });
    emit('response.output_item.done', { output_index: outputIndex, item });
  });
  emit('response.completed', { response: final });
  return sseEvents(sseBody(events));
}

/** Answers POST `path` with `final`, as JSON or streamed as the request's `stream` says. */
export function responsesRoute(path: string | RegExp, final: Json): ScriptedRoute {
  return {
    method: 'POST',
    path,
    respond: (request: RecordedRequest): ScriptedResponse => {
      const headers = { 'openai-version': '2020-10-01', 'x-request-id': 'req_5b0f1c2d3e4f5a6b7c8d9e0f1a2b3c4d' };
      if ((JSON.parse(request.body) as Json).stream === true) {
        return { headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8' }, chunks: responsesStreamEvents(final) };
      }
      return { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(final, null, 2) };
    },
  };
}

/** Word-sized pieces (each with its leading whitespace) that join back to `text`. */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}
