import { describe, expect, it } from 'vitest';
import { EndpointRegistry } from '../../src/providers/registry';

const registry = new EndpointRegistry([
  { baseUrl: 'http://gpu-box:8000/v1', name: 'vllm' },
  { baseUrl: 'http://localhost:11434/v1/', name: 'ollama' },
]);

function route(url: string, method = 'POST') {
  const match = registry.match(method, new URL(url));
  return match && { protocol: match.adapter.protocol, provider: match.providerName ?? match.adapter.defaultProviderName, bodyCheck: match.needsBodyCheck };
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
    ['https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash-001:generateContent', 'gcp.gemini.generate_content', 'gcp.vertex_ai'],
    ['https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:streamGenerateContent', 'gcp.gemini.generate_content', 'gcp.vertex_ai'],
    ['https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent', 'gcp.gemini.embed_content', 'gcp.gemini'],
    ['https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents', 'gcp.gemini.embed_content', 'gcp.gemini'],
    ['https://api.groq.com/openai/v1/chat/completions', 'openai.chat_completions', 'groq'],
    ['https://api.deepseek.com/chat/completions', 'openai.chat_completions', 'deepseek'],
    ['https://api.together.xyz/v1/chat/completions', 'openai.chat_completions', 'together_ai'],
    ['https://api.mistral.ai/v1/embeddings', 'openai.embeddings', 'mistral_ai'],
    ['https://api.mistral.ai/v1/fim/completions', 'openai.completions', 'mistral_ai'],
  ])('%s → %s / %s', (url, protocol, provider) => {
    expect(route(url)).toEqual({ protocol, provider, bodyCheck: false });
  });

  it('names registered OpenAI-compatible servers by their base URL', () => {
    expect(route('http://gpu-box:8000/v1/chat/completions')).toEqual({ protocol: 'openai.chat_completions', provider: 'vllm', bodyCheck: false });
    expect(route('http://gpu-box:8000/v1/completions')).toEqual({ protocol: 'openai.completions', provider: 'vllm', bodyCheck: false });
    expect(route('http://localhost:11434/v1/chat/completions')).toEqual({ protocol: 'openai.chat_completions', provider: 'ollama', bodyCheck: false });
  });

  it('recognises native Ollama on any host by its path, with a body check, as provider ollama', () => {
    expect(route('http://localhost:11434/api/chat')).toEqual({ protocol: 'ollama', provider: 'ollama', bodyCheck: true });
    expect(route('http://10.0.0.7:11434/api/generate')).toEqual({ protocol: 'ollama', provider: 'ollama', bodyCheck: true });
  });

  it('asks for a body check on unknown hosts and has no provider name for shared protocols', () => {
    expect(route('https://llm-proxy.internal/v1/chat/completions')).toEqual({ protocol: 'openai.chat_completions', provider: undefined, bodyCheck: true });
    expect(route('https://llm-proxy.internal/anthropic/v1/messages')).toEqual({ protocol: 'anthropic.messages', provider: undefined, bodyCheck: true });
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
