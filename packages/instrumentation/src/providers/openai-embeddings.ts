import * as semconv from '../semconv';
import { OPENAI_COMPATIBLE } from './vendors';
import type { LlmRequest, ParsedRequest, ProviderAdapter } from './adapter';
import { EmbeddingsAccumulator } from './embeddings-accumulator';
import { asArray, asNumber, asObject, asString } from './json-access';
import { parseOpenAiError } from './openai-error';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** OpenAI embeddings (`/v1/embeddings`, Azure `/openai/deployments/{d}/embeddings`, compatible servers). */
export const openAiEmbeddingsAdapter: ProviderAdapter = {
  protocol: 'openai.embeddings',
  nonDeterminingFields: NON_DETERMINING_FIELDS.openaiEmbeddings,
  vendor: OPENAI_COMPATIBLE,
  matchesPath: (url) => url.pathname.endsWith('/embeddings'),
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && object.input !== undefined && typeof object.model === 'string';
  },
  parseRequest,
  createAccumulator: (request) =>
    new EmbeddingsAccumulator(request, (list) => ({
      model: asString(list.model),
      inputTokens: asNumber(asObject(list.usage)?.prompt_tokens),
      dimensions: vectorLength(asObject(asArray(list.data)?.[0])?.embedding),
    })),
  parseError: parseOpenAiError,
  // The vectors come first and `model` and `usage` last, so both are looked for at the end too.
  salvage: { leadingStrings: ['model', 'object'], trailingObjects: ['usage'], trailingStrings: ['model'] },
};

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  const attributes: Record<string, number | string | string[]> = { [semconv.ATTR_OPENAI_API_TYPE]: 'embeddings' };
  const format = asString(body.encoding_format);
  if (format) attributes[semconv.ATTR_GEN_AI_REQUEST_ENCODING_FORMATS] = [format];
  const dimensions = asNumber(body.dimensions);
  if (dimensions !== undefined) attributes[semconv.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions;
  return { operation: 'embeddings', model: asString(body.model), stream: false, attributes };
}

/** Length of a vector sent as a JSON array, or as base64 of little-endian float32s (`encoding_format: base64`). */
function vectorLength(embedding: unknown): number | undefined {
  if (Array.isArray(embedding)) return embedding.length;
  if (typeof embedding !== 'string' || embedding.length === 0) return undefined;
  const padding = embedding.endsWith('==') ? 2 : embedding.endsWith('=') ? 1 : 0;
  return Math.floor(((embedding.length * 3) / 4 - padding) / 4);
}
