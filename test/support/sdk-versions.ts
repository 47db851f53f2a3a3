/**
 * The newest SDK majors that support the running Node version: openai 7, @google/genai 3 and ai 7
 * need Node 22+, so the Node 20 leg tests openai 6, @google/genai 2 and ai 6 (DESIGN.md).
 * Both majors are installed side by side under aliases (test/package.json).
 */
export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
export const MODERN_NODE = NODE_MAJOR >= 22;

type OpenAIModule = typeof import('openai');

export async function loadOpenAI(): Promise<{ OpenAI: OpenAIModule['default']; major: number }> {
  const module = (MODERN_NODE ? await import('openai-v7') : await import('openai')) as OpenAIModule;
  return { OpenAI: module.default, major: MODERN_NODE ? 7 : 6 };
}
