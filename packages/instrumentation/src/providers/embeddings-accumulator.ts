import * as semconv from '../semconv';
import type { ParsedRequest, ParsedResponse, ResponseAccumulator, Usage } from './adapter';
import { asObject, type JsonObject } from './json-access';

/** What an embeddings response says, read without copying its vectors. */
export interface EmbeddingsSummary {
  model?: string;
  inputTokens?: number;
  /** Length of the first vector. */
  dimensions?: number;
}

/**
 * Accumulates an embeddings response (never streamed): model, input tokens and the dimension count,
 * which the request's own value wins over. The body is held, bounded, by the whole-JSON framing.
 */
export class EmbeddingsAccumulator implements ResponseAccumulator {
  private summary: EmbeddingsSummary = {};

  constructor(
    private readonly request: ParsedRequest,
    private readonly summarise: (body: JsonObject) => EmbeddingsSummary,
  ) {}

  onEvent(): void {
    // Embeddings are never streamed.
  }

  onBody(body: unknown): void {
    const object = asObject(body);
    if (object) this.summary = this.summarise(object);
  }

  finish(): ParsedResponse {
    const { model, inputTokens, dimensions } = this.summary;
    const usage: Usage | undefined = inputTokens === undefined ? undefined : { inputTokens };
    const response: ParsedResponse = model === undefined ? { usage } : { model, usage };
    if (dimensions !== undefined && this.request.attributes[semconv.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT] === undefined) {
      response.attributes = { [semconv.ATTR_GEN_AI_EMBEDDINGS_DIMENSION_COUNT]: dimensions };
    }
    return response;
  }
}
