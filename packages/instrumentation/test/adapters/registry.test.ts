import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { EndpointRegistry } from '../../src/providers/registry';

const registry = new EndpointRegistry([
  { baseUrl: 'http://gpu-box:8000/v1', name: 'vllm' },
  { baseUrl: 'http://localhost:11434/v1/', name: 'ollama' },
]);

function route(url: string, method = 'POST') {
  const match = registry.match(method, new URL(url));
  return match && { protocol: match.adapter.protocol, provider: match.providerName, compatible: match.compatibleServer, bodyCheck: match.needsBodyCheck };
}

describe('endpoint registry routes each URL shape to its adapter and provider', () => {
  it.each([
    ['https://api.openai.com/v1/chat/completions', 'openai.chat_completions', 'openai'],
    ['https://api.openai.com/v1/completions', 'openai.completions', 'openai'],
    ['https://api.openai.com/v1/responses', 'openai.responses', 'openai'],
    ['https://api.openai.com/v1/embeddings', 'openai.embeddings', 'openai'],
    ['https://my-res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', 'openai.chat_completions', 'azure.ai.openai'],
    ['https://my-res.openai.azure.com/openai/v1/chat/completions', 'openai.chat_completions', 'azure.ai.openai'],
    ['https://my-res.openai.azure.com/openai/deployments/emb3/embeddings?api-version=2024-10-21', 'openai.embeddings', 'azure.ai.openai'],
    ['https://my-res.openai.azure.com/openai/deployments/instruct/completions?api-version=2024-10-21', 'openai.completions', 'azure.ai.openai'],
    ['https://my-res.openai.azure.com/openai/v1/responses', 'openai.responses', 'azure.ai.openai'],
    ['https://my-proj.services.ai.azure.com/openai/v1/responses', 'openai.responses', 'azure.ai.openai'],
    ['https://api.anthropic.com/v1/messages', 'anthropic.messages', 'anthropic'],
    ['https://api.anthropic.com/v1/messages?beta=true', 'anthropic.messages', 'anthropic'],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent', 'gcp.gemini.generate_content', 'gcp.gemini'],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', 'gcp.gemini.generate_content', 'gcp.gemini'],
    [
      'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent',
      'gcp.gemini.generate_content',
      'gcp.vertex_ai',
    ],
    [
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent',
      'gcp.gemini.generate_content',
      'gcp.vertex_ai',
    ],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent', 'gcp.gemini.embed_content', 'gcp.gemini'],
    ['https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents', 'gcp.gemini.embed_content', 'gcp.gemini'],
    ['https://api.groq.com/openai/v1/chat/completions', 'openai.chat_completions', 'groq'],
    ['https://api.deepseek.com/chat/completions', 'openai.chat_completions', 'deepseek'],
    ['https://api.together.xyz/v1/chat/completions', 'openai.chat_completions', 'together_ai'],
    ['https://api.mistral.ai/v1/embeddings', 'openai.embeddings', 'mistral_ai'],
    ['https://api.mistral.ai/v1/fim/completions', 'openai.completions', 'mistral_ai'],
  ])('%s → %s / %s', (url, protocol, provider) => {
    expect(route(url)).toEqual({ protocol, provider, compatible: false, bodyCheck: false });
  });

  it('names registered OpenAI-compatible servers by their base URL', () => {
    expect(route('http://gpu-box:8000/v1/chat/completions')).toEqual({
      protocol: 'openai.chat_completions',
      provider: 'vllm',
      compatible: false,
      bodyCheck: false,
    });
    expect(route('http://gpu-box:8000/v1/completions')).toEqual({ protocol: 'openai.completions', provider: 'vllm', compatible: false, bodyCheck: false });
    expect(route('http://localhost:11434/v1/chat/completions')).toEqual({
      protocol: 'openai.chat_completions',
      provider: 'ollama',
      compatible: false,
      bodyCheck: false,
    });
  });

  it('recognises native Ollama on any host by its path, with a body check, as provider ollama', () => {
    expect(route('http://localhost:11434/api/chat')).toEqual({ protocol: 'ollama', provider: 'ollama', compatible: false, bodyCheck: true });
    expect(route('http://10.0.0.7:11434/api/generate')).toEqual({ protocol: 'ollama', provider: 'ollama', compatible: false, bodyCheck: true });
  });

  it('asks for a body check on unknown hosts; names a single-vendor protocol by its vendor, never _OTHER', () => {
    // Before: provider undefined, which LlmCall turned into `_OTHER` (semconv's error.type fallback).
    expect(route('https://llm-proxy.internal/v1/chat/completions')).toEqual({
      protocol: 'openai.chat_completions',
      provider: 'openai',
      compatible: true,
      bodyCheck: true,
    });
    expect(route('https://llm-proxy.internal/v1/responses')).toEqual({ protocol: 'openai.responses', provider: 'openai', compatible: true, bodyCheck: true });
    expect(route('https://llm-proxy.internal/anthropic/v1/messages')).toEqual({
      protocol: 'anthropic.messages',
      provider: 'anthropic',
      compatible: false,
      bodyCheck: true,
    });
    expect(route('https://gateway.internal/v1beta/models/gemini-2.5-flash:generateContent')).toEqual({
      protocol: 'gcp.gemini.generate_content',
      provider: 'gcp.gen_ai',
      compatible: false,
      bodyCheck: true,
    });
    expect(route('https://gateway.internal/v1beta/models/gemini-embedding-001:embedContent')).toEqual({
      protocol: 'gcp.gemini.embed_content',
      provider: 'gcp.gen_ai',
      compatible: false,
      bodyCheck: true,
    });
  });

  it.each([
    ['https://my-proj.services.ai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', 'azure.ai.openai'],
    ['https://my-proj.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview', 'azure.ai.inference'],
    ['https://my-res.cognitiveservices.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21', 'azure.ai.openai'],
    ['https://my-res.cognitiveservices.azure.com/models/chat/completions', 'azure.ai.inference'],
    ['https://my-endpoint.eastus2.inference.ai.azure.com/chat/completions', 'azure.ai.inference'],
    ['https://models.inference.ai.azure.com/chat/completions', 'azure.ai.inference'],
    ['https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1/chat/completions', 'aws.bedrock'],
    ['https://api.cohere.ai/compatibility/v1/chat/completions', 'cohere'],
    ['https://us-south.ml.cloud.ibm.com/ml/gateway/v1/chat/completions', 'ibm.watsonx.ai'],
    ['https://api.perplexity.ai/chat/completions', 'perplexity'],
  ])('%s → %s', (url, provider) => {
    expect(route(url)?.provider).toBe(provider);
    expect(route(url)?.bodyCheck).toBe(false);
  });

  it('does not take other AWS hosts for Bedrock', () => {
    expect(route('https://s3.us-west-2.amazonaws.com/v1/chat/completions')).toMatchObject({ provider: 'openai', compatible: true, bodyCheck: true });
  });

  it('ignores what is not a POST to a known path', () => {
    expect(route('https://api.openai.com/v1/chat/completions', 'GET')).toBeUndefined();
    expect(route('https://api.openai.com/v1/responses/resp_123', 'GET')).toBeUndefined();
    expect(route('https://api.openai.com/v1/files')).toBeUndefined();
    expect(route('https://api.anthropic.com/v1/messages/count_tokens')).toBeUndefined();
    expect(route('https://api.openai.com/v1/responses/resp_123/cancel')).toBeUndefined();
    expect(route('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens')).toBeUndefined();
  });
});

describe('registered base URLs', () => {
  const gatewayKey = ['gw', 'key', 'Xq9Zr2Lm4Np6Tv8Wb1Yc'].join('-');

  it('a base URL that is not a URL throws naming the option, and the error holds no part of it', () => {
    let thrown: unknown;
    try {
      new EndpointRegistry([
        { baseUrl: 'http://gpu-box:8000/v1', name: 'vllm' },
        { baseUrl: `gateway.internal v1?api-key=${gatewayKey}`, name: 'gateway' },
      ]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect((thrown as Error).message).toBe('llm-otel: providers[1].baseUrl is not a URL (expected e.g. http://localhost:8000/v1)');
    // What an uncaught error prints: message, stack and every own property (Node's URL error keeps `input`).
    expect(inspect(thrown, { showHidden: true })).not.toContain(gatewayKey);
  });

  it('userinfo and query in a base URL do not stop its requests from matching', () => {
    const withCredentials = new EndpointRegistry([{ baseUrl: `https://team:${gatewayKey}@llm-gw.internal/v1?api-key=${gatewayKey}`, name: 'litellm' }]);
    expect(withCredentials.match('POST', new URL('https://llm-gw.internal/v1/chat/completions'))?.providerName).toBe('litellm');
  });
});
