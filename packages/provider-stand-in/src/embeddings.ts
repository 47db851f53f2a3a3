import type { RecordedRequest, ScriptedResponse, ScriptedRoute } from './types';

/** Native vector length of each embedding model; `dimensions` in the request shortens it. */
const MODEL_DIMENSIONS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * Answers POST `path` as the embeddings API does: one vector per input, as JSON numbers, or with
 * `encoding_format: "base64"` as base64 of little-endian float32s (what the openai SDK asks for by
 * default and decodes itself); `usage` has prompt and total tokens only.
 */
export function embeddingsRoute(path: string | RegExp): ScriptedRoute {
  return { method: 'POST', path, respond: embeddingsResponse };
}

function embeddingsResponse(request: RecordedRequest): ScriptedResponse {
  const body = JSON.parse(request.body) as { model: string; input: string | string[]; encoding_format?: string; dimensions?: number };
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const length = body.dimensions ?? MODEL_DIMENSIONS[body.model] ?? 1024;
  const data = inputs.map((text, index) => {
    const vector = unitVector(text, length);
    const embedding = body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  const tokens = inputs.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
  return {
    headers: { 'content-type': 'application/json', 'openai-model': body.model, 'openai-processing-ms': '41' },
    body: JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }),
  };
}

/** A deterministic float32 vector of norm 1, seeded by the text. */
function unitVector(text: string, length: number): Float32Array {
  let seed = [...text].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 2166136261);
  const vector = new Float32Array(length);
  let norm = 0;
  for (let index = 0; index < length; index++) {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    vector[index] = seed / 2 ** 32 - 0.5;
    norm += vector[index] ** 2;
  }
  for (let index = 0; index < length; index++) vector[index] /= Math.sqrt(norm);
  return vector;
}
