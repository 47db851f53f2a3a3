import { describe, expect, it } from 'vitest';
import { openAiEmbeddingsAdapter as adapter } from '../../src/providers/openai-embeddings';
import { exchange, replay } from '../support/replay';

const URL_EMBEDDINGS = 'https://api.openai.com/v1/embeddings';

/** A deterministic vector, as the provider would send it. */
function vector(length: number, seed: number): number[] {
  return Array.from({ length }, (_, i) => Math.fround(Math.sin(seed * 1000 + i) / 10));
}

function base64Vector(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

function embeddingList(embeddings: Array<number[] | string>, model = 'text-embedding-3-small', promptTokens = 8): string {
  return JSON.stringify({
    object: 'list',
    data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

describe('openai embeddings adapter', () => {
  it('reads model, input tokens and the dimension count from a float vector', () => {
    const body = { model: 'text-embedding-3-small', input: ['The food was delicious', 'and the waiter...'], encoding_format: 'float' };
    const { request, response } = replay(adapter, exchange(URL_EMBEDDINGS, body, embeddingList([vector(1536, 1), vector(1536, 2)]), 'application/json'), {
      chunkSizes: [7, 4096, 1 << 20],
    });
    expect(request).toMatchObject({ operation: 'embeddings', model: 'text-embedding-3-small', stream: false });
    expect(request.attributes).toEqual({ 'gen_ai.request.encoding_formats': ['float'], 'openai.api.type': 'embeddings' });
    expect(response).toEqual({
      model: 'text-embedding-3-small',
      usage: { inputTokens: 8 },
      attributes: { 'gen_ai.embeddings.dimension.count': 1536 },
    });
  });

  it('measures a base64 vector from its length: 4 bytes per float32', () => {
    for (const length of [256, 1535, 1536, 3072]) {
      const body = { model: 'text-embedding-3-large', input: 'hello', encoding_format: 'base64' };
      const encoded = base64Vector(vector(length, 3));
      const { request, response } = replay(adapter, exchange(URL_EMBEDDINGS, body, embeddingList([encoded], 'text-embedding-3-large', 1), 'application/json'), {
        chunkSizes: [4096],
      });
      expect(request.attributes['gen_ai.request.encoding_formats']).toEqual(['base64']);
      expect(response.attributes).toEqual({ 'gen_ai.embeddings.dimension.count': length });
    }
  });

  it('takes the dimension count from the request when it asks for one', () => {
    const body = { model: 'text-embedding-3-small', input: 'hello', dimensions: 512 };
    const { request, response } = replay(
      adapter,
      exchange(URL_EMBEDDINGS, body, embeddingList([vector(512, 4)], 'text-embedding-3-small', 1), 'application/json'),
      {
        chunkSizes: [4096],
      },
    );
    expect(request.attributes).toEqual({ 'gen_ai.embeddings.dimension.count': 512, 'openai.api.type': 'embeddings' });
    expect(response.attributes).toBeUndefined();
    expect(response.usage).toEqual({ inputTokens: 1 });
  });

  it('still reads usage from a response larger than the body bound, without keeping the vectors', () => {
    const body = { model: 'text-embedding-3-small', input: Array.from({ length: 64 }, (_, i) => `document ${i}`), dimensions: 1536 };
    const responseBody = embeddingList(
      Array.from({ length: 64 }, (_, i) => vector(1536, i)),
      'text-embedding-3-small',
      320,
    );
    expect(responseBody.length).toBeGreaterThan(1_000_000);
    const { response, truncated } = replay(adapter, exchange(URL_EMBEDDINGS, body, responseBody, 'application/json'), {
      maxBodyLength: 256 * 1024,
      chunkSizes: [16 * 1024, 64 * 1024],
    });
    expect(truncated).toBe(true);
    expect(response.usage).toEqual({ inputTokens: 320 });
  });

  it('matches OpenAI and Azure paths, and bodies with an input', () => {
    expect(adapter.matchesPath(new URL('https://api.openai.com/v1/embeddings'))).toBe(true);
    expect(adapter.matchesPath(new URL('https://x.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21'))).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'nomic-embed-text', input: 'hi' })).toBe(true);
    expect(adapter.looksLikeRequest({ model: 'nomic-embed-text', prompt: 'hi' })).toBe(false);
  });
});
