import * as semconv from '../semconv';
import { GOOGLE_GEN_AI } from './vendors';
import type { LlmRequest, ParsedRequest, ProviderAdapter } from './adapter';
import { EmbeddingsAccumulator } from './embeddings-accumulator';
import { geminiModelAndMethod, protoField } from './gemini-path';
import { parseGoogleError } from './google-error';
import { asArray, asNumber, asObject } from './json-access';
import { NON_DETERMINING_FIELDS } from './non-determining-fields';

/** Gemini `:embedContent` and `:batchEmbedContents`; the model is in the URL. */
export const geminiEmbeddingsAdapter: ProviderAdapter = {
  protocol: 'gcp.gemini.embed_content',
  nonDeterminingFields: NON_DETERMINING_FIELDS.gemini,
  vendor: GOOGLE_GEN_AI,
  matchesPath: (url) => url.pathname.endsWith(':embedContent') || url.pathname.endsWith(':batchEmbedContents'),
  looksLikeRequest: (body) => {
    const object = asObject(body);
    return !!object && (asObject(object.content) !== undefined || Array.isArray(object.requests));
  },
  parseRequest,
  // `embedContent` answers `{embedding: {values}}`, `batchEmbedContents` `{embeddings: [{values}]}`.
  createAccumulator: (request) =>
    new EmbeddingsAccumulator(request, (response) => ({
      inputTokens: asNumber(asObject(response.usageMetadata)?.promptTokenCount),
      dimensions: asArray((asObject(response.embedding) ?? asObject(asArray(response.embeddings)?.[0]))?.values)?.length,
    })),
  parseError: parseGoogleError,
  salvage: { trailingObjects: ['usageMetadata'] },
};

function parseRequest(request: LlmRequest): ParsedRequest {
  const body = asObject(request.body) ?? {};
  // A batch repeats the single request per input; the first one speaks for all.
  const single = asObject(asArray(body.requests)?.[0]) ?? body;
  const attributes: Record<string, number> = {};
  const dimensions = asNumber(protoField(single, 'outputDimensionality'));
  if (dimensions !== undefined) attributes[semconv.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] = dimensions;
  return { operation: 'embeddings', model: geminiModelAndMethod(request.url)?.model, stream: false, attributes };
}
