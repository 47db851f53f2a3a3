// ESM app that imports openai and constructs its client BEFORE set-up: the client captured the
// original fetch, so only the undici dispatcher hook can see its calls.
import OpenAI from 'openai';
import { setupTelemetry } from '@llm-otel/setup';
import chatCalls from './chat-calls.cjs';

const client = new OpenAI(chatCalls.clientOptions());

const telemetry = setupTelemetry({
  serviceName: process.env.APP_SERVICE_NAME,
  providers: [{ baseUrl: `${process.env.STAND_IN_URL}/v1`, name: 'openai' }],
  handleSignals: false,
});

await chatCalls.chatTwice(client);
await telemetry.shutdown();
