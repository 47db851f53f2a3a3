/**
 * The newest SDK majors that support the running Node version: openai 7, @google/genai 3 and ai 7 (with @ai-sdk/* 4)
 * need Node 22+, so the Node 20 leg tests openai 6, @google/genai 2 and ai 6 (DESIGN.md).
 * Both majors are installed side by side under aliases (test/package.json).
 */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
export const MODERN_NODE = NODE_MAJOR >= 22;

type OpenAIModule = typeof import('openai');

export async function loadOpenAI(): Promise<{ OpenAI: OpenAIModule['default']; AzureOpenAI: OpenAIModule['AzureOpenAI']; major: number }> {
  const module = (MODERN_NODE ? await import('openai-v7') : await import('openai')) as OpenAIModule;
  return { OpenAI: module.default, AzureOpenAI: module.AzureOpenAI, major: MODERN_NODE ? 7 : 6 };
}

type GoogleGenAIModule = typeof import('@google/genai');

/** @google/genai 3 on Node 22+, 2 on Node 20. */
export async function loadGoogleGenAI(): Promise<{ GoogleGenAI: GoogleGenAIModule['GoogleGenAI']; major: number }> {
  const module = (MODERN_NODE ? await import('google-genai-v3') : await import('@google/genai')) as GoogleGenAIModule;
  return { GoogleGenAI: module.GoogleGenAI, major: MODERN_NODE ? 3 : 2 };
}

type AnthropicModule = typeof import('@anthropic-ai/sdk');

/** @anthropic-ai/sdk 1.x supports Node 20 and newer: one major on every leg. */
export async function loadAnthropic(): Promise<{ Anthropic: AnthropicModule['default']; major: number }> {
  const module = await import('@anthropic-ai/sdk');
  return { Anthropic: module.default, major: 1 };
}

type AiModule = typeof import('ai');
type AiOpenAIModule = typeof import('@ai-sdk/openai');
type AiAnthropicModule = typeof import('@ai-sdk/anthropic');

/** The Vercel AI SDK with its OpenAI and Anthropic providers: ai 7 + @ai-sdk/* 4 on Node 22+, ai 6 + @ai-sdk/* 3 on Node 20. */
export async function loadVercelAI(): Promise<{
  ai: AiModule;
  createOpenAI: AiOpenAIModule['createOpenAI'];
  createAnthropic: AiAnthropicModule['createAnthropic'];
  major: number;
}> {
  const [ai, openai, anthropic] = MODERN_NODE
    ? await Promise.all([import('ai-v7'), import('@ai-sdk/openai-v4'), import('@ai-sdk/anthropic-v4')])
    : await Promise.all([import('ai'), import('@ai-sdk/openai'), import('@ai-sdk/anthropic')]);
  return {
    ai: ai as AiModule,
    createOpenAI: (openai as AiOpenAIModule).createOpenAI,
    createAnthropic: (anthropic as AiAnthropicModule).createAnthropic,
    major: MODERN_NODE ? 7 : 6,
  };
}

/**
 * The AI SDK major that traces itself (`experimental_telemetry` spans): ai 6 + @ai-sdk/openai 3 on every
 * Node leg. ai 7 moved its OpenTelemetry spans out of the `ai` package (an add-on), so on Node 22+
 * `loadVercelAI()`'s ai 7 makes none, and tests of what we do beside a self-tracing SDK need ai 6.
 */
export async function loadSelfTracingVercelAI(): Promise<{ ai: AiModule; createOpenAI: AiOpenAIModule['createOpenAI'] }> {
  const [ai, openai] = await Promise.all([import('ai'), import('@ai-sdk/openai')]);
  return { ai, createOpenAI: openai.createOpenAI };
}
