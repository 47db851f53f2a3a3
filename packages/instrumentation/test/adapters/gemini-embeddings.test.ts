import { describe, expect, it } from 'vitest';
import { geminiEmbeddingsAdapter as adapter } from '../../src/providers/gemini-embeddings';
import { exchange, replay } from '../support/replay';

const GEMINI_API = 'https://generativelanguage.googleapis.com/v1beta/models';
const values = (length: number) => Array.from({ length }, (_, i) => Math.round(Math.cos(i) * 1e6) / 1e7);

describe('gemini embeddings adapter', () => {
  it('reads the dimension count of :embedContent, with the model from the URL', () => {
    const body = { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'What is the meaning of life?' }] }, taskType: 'RETRIEVAL_QUERY' };
    const { request, response } = replay(
      adapter,
      exchange(`${GEMINI_API}/gemini-embedding-001:embedContent`, body, JSON.stringify({ embedding: { values: values(3072) } }), 'application/json'),
      {
        chunkSizes: [5, 4096],
      },
    );
    expect(request).toEqual({ operation: 'embeddings', model: 'gemini-embedding-001', stream: false, attributes: {} });
    expect(response).toEqual({ usage: undefined, attributes: { 'gen_ai.embeddings.dimension.count': 3072 } });
  });

  it('takes outputDimensionality of a :batchEmbedContents request', () => {
    const body = {
      requests: ['first', 'second'].map((text) => ({ model: 'models/text-embedding-004', content: { parts: [{ text }] }, outputDimensionality: 256 })),
    };
    const responseBody = JSON.stringify({ embeddings: [{ values: values(256) }, { values: values(256) }] });
    const { request, response } = replay(adapter, exchange(`${GEMINI_API}/text-embedding-004:batchEmbedContents`, body, responseBody, 'application/json'), {
      chunkSizes: [4096],
    });
    expect(request.attributes).toEqual({ 'gen_ai.embeddings.dimension.count': 256 });
    expect(response.attributes).toBeUndefined();
  });

  it('matches only the embedding methods', () => {
    expect(adapter.matchesPath(new URL(`${GEMINI_API}/gemini-embedding-001:embedContent`))).toBe(true);
    expect(adapter.matchesPath(new URL(`${GEMINI_API}/gemini-2.5-flash:generateContent`))).toBe(false);
    expect(adapter.parseError({ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } }, 400)).toEqual({
      type: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
    });
  });
});
