export { startProviderStandIn } from './server';
export { fixtureRoutes, fixturesDir, loadFixture, sseEvents } from './fixtures';
export type { FixtureOptions, RecordedExchange, RecordedFixture } from './fixtures';
export {
  CHAT_COMPLETIONS_PATH,
  realisticChatCompletion,
  realisticChatResponse,
  realisticChatRoute,
  realisticChatStream,
} from './realistic-chat';
export type { RealisticChatOptions } from './realistic-chat';
export { defaultChatAnswer } from './chat-answer';
export type { ChatAnswer } from './chat-answer';
export type { ChatRequest } from './chat-request';
export { scenarioRoutes, SCENARIOS } from './scenarios';
export type {
  ProviderStandIn,
  ProviderStandInOptions,
  RecordedRequest,
  ScenarioName,
  ScriptedResponse,
  ScriptedRoute,
} from './types';
export { embeddingsRoute } from './embeddings';
