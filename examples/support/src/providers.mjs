// How each example's provider is played locally: the stand-in's routes, where the SDK points, and the
// environment variable whose presence means "use the real API instead".
import { embeddingsRoute, fixtureRoutes, realisticChatRoute } from '@llm-otel/provider-stand-in';

/** A recorded response (test/fixtures/recorded) answering every request on `path`. */
function recorded(fixture, path) {
  const [route] = fixtureRoutes(fixture);
  return { method: 'POST', path, respond: route.respond };
}

export const PROVIDERS = {
  openai: {
    keyVariable: 'OPENAI_API_KEY',
    baseUrl: (url) => `${url}/v1`,
    routes: () => [realisticChatRoute(), recorded('openai-responses', '/v1/responses'), embeddingsRoute('/v1/embeddings')],
  },
  anthropic: {
    keyVariable: 'ANTHROPIC_API_KEY',
    baseUrl: (url) => url,
    routes: () => {
      const json = recorded('anthropic-messages', '/v1/messages');
      const stream = recorded('anthropic-messages-stream', '/v1/messages');
      // One path, two recordings: the request body says which one the SDK asked for.
      return [{ method: 'POST', path: '/v1/messages', respond: (request) => (JSON.parse(request.body).stream ? stream : json).respond(request) }];
    },
  },
  gemini: {
    keyVariable: 'GEMINI_API_KEY',
    baseUrl: (url) => url,
    routes: () => [recorded('gemini-generate-content', /:generateContent$/)],
  },
};
