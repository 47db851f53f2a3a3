/**
 * Hosts whose provider we know, to `gen_ai.provider.name`. Semconv values where semconv has one
 * (openai, azure.ai.openai, deepseek, groq, mistral_ai, x_ai, anthropic, gcp.gemini, gcp.vertex_ai,
 * aws.bedrock); lowercase snake_case names of our own otherwise (together_ai, openrouter, ...).
 */
const EXACT_HOSTS: Readonly<Record<string, string>> = {
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
};

const SUFFIX_HOSTS: ReadonlyArray<readonly [suffix: string, provider: string]> = [
  ['.openai.azure.com', 'azure.ai.openai'],
  ['.services.ai.azure.com', 'azure.ai.openai'],
  ['-aiplatform.googleapis.com', 'gcp.vertex_ai'],
  ['aiplatform.googleapis.com', 'gcp.vertex_ai'],
];

/** The provider of a known host, or undefined. */
export function providerForHost(hostname: string): string | undefined {
  const exact = EXACT_HOSTS[hostname];
  if (exact) return exact;
  for (const [suffix, provider] of SUFFIX_HOSTS) if (hostname.endsWith(suffix)) return provider;
  return undefined;
}
