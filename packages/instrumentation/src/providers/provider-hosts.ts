/**
 * Hosts whose provider we know, to `gen_ai.provider.name`. Semconv well-known values where semconv
 * has one (openai, azure.ai.openai, azure.ai.inference, deepseek, groq, mistral_ai, x_ai, perplexity,
 * anthropic, gcp.gemini, gcp.vertex_ai, aws.bedrock, cohere, ibm.watsonx.ai); lowercase snake_case
 * names of our own otherwise (together_ai, openrouter, fireworks_ai, cerebras). The README's provider
 * table is checked against this file by test/adapters/provider-names.test.ts.
 */
export const EXACT_HOSTS: Readonly<Record<string, string>> = {
  'api.openai.com': 'openai',
  'api.deepseek.com': 'deepseek',
  'api.groq.com': 'groq',
  'api.mistral.ai': 'mistral_ai',
  'api.together.xyz': 'together_ai',
  'api.together.ai': 'together_ai',
  'openrouter.ai': 'openrouter',
  'api.x.ai': 'x_ai',
  'api.anthropic.com': 'anthropic',
  'generativelanguage.googleapis.com': 'gcp.gemini',
  'api.fireworks.ai': 'fireworks_ai',
  'api.perplexity.ai': 'perplexity',
  'api.cerebras.ai': 'cerebras',
  // Cohere's OpenAI-compatible "Compatibility API" (/compatibility/v1/chat/completions, /embeddings).
  // Cohere's native /v2/chat is not a protocol we parse.
  'api.cohere.ai': 'cohere',
  'api.cohere.com': 'cohere',
  // GitHub Models and Azure AI serverless endpoints speak Azure AI Inference (OpenAI-shaped bodies).
  'models.inference.ai.azure.com': 'azure.ai.inference',
  'models.github.ai': 'azure.ai.inference',
};

type HostRule = readonly [suffix: string, provider: string | ((url: URL) => string)];

/**
 * Azure AI Foundry (`*.services.ai.azure.com`) and Azure AI Services (`*.cognitiveservices.azure.com`)
 * serve both Azure OpenAI (`/openai/...`) and Azure AI Inference (`/models/...`) on one host: the path
 * tells them apart.
 */
function azureByPath(url: URL): string {
  return url.pathname.startsWith('/models/') ? 'azure.ai.inference' : 'azure.ai.openai';
}

const SUFFIX_HOSTS: readonly HostRule[] = [
  ['.openai.azure.com', 'azure.ai.openai'],
  ['.services.ai.azure.com', azureByPath],
  ['.cognitiveservices.azure.com', azureByPath],
  ['.inference.ai.azure.com', 'azure.ai.inference'],
  ['-aiplatform.googleapis.com', 'gcp.vertex_ai'],
  ['aiplatform.googleapis.com', 'gcp.vertex_ai'],
  // Bedrock's OpenAI-compatible chat completions (`/openai/v1/chat/completions`). InvokeModel and
  // Converse (`/model/{id}/invoke`, `/converse`) are signed with SigV4 and not parsed.
  ['.amazonaws.com', (url) => (url.hostname.startsWith('bedrock-runtime.') ? 'aws.bedrock' : '')],
  // watsonx.ai's OpenAI-compatible model gateway; the native `/ml/v1/text/chat` is not parsed.
  ['.ml.cloud.ibm.com', 'ibm.watsonx.ai'],
];

/** The provider of a known host (and, for Azure's shared hosts, path), or undefined. */
export function providerForUrl(url: URL): string | undefined {
  const hostname = url.hostname;
  const exact = EXACT_HOSTS[hostname];
  if (exact) return exact;
  for (const [suffix, provider] of SUFFIX_HOSTS) {
    if (!hostname.endsWith(suffix)) continue;
    const name = typeof provider === 'string' ? provider : provider(url);
    if (name) return name;
  }
  return undefined;
}
