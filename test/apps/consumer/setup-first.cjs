// CommonJS app that sets up first, then constructs the client: its calls go through the wrapped fetch.
const { setupTelemetry } = require('@llm-otel/setup');

const telemetry = setupTelemetry({
  serviceName: process.env.APP_SERVICE_NAME,
  providers: [{ baseUrl: `${process.env.STAND_IN_URL}/v1`, name: 'openai' }],
  handleSignals: false,
});

const { OpenAI } = require('openai');
const { chatTwice, clientOptions } = require('./chat-calls.cjs');

chatTwice(new OpenAI(clientOptions())).then(() => telemetry.shutdown());
