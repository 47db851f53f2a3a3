// CommonJS app with one stream that reports no usage (no stream_options.include_usage): the only kind
// of call that needs the tokenizer, an optional peer of @llm-otel/instrumentation.
const { setupTelemetry } = require('@llm-otel/setup');

const telemetry = setupTelemetry({
  serviceName: process.env.APP_SERVICE_NAME,
  providers: [{ baseUrl: `${process.env.STAND_IN_URL}/v1`, name: 'openai' }],
  handleSignals: false,
});

const { OpenAI } = require('openai');
const { clientOptions } = require('./chat-calls.cjs');

async function streamOnce() {
  const stream = await new OpenAI(clientOptions()).chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Summarise our refund policy in one sentence.' }],
    stream: true,
  });
  let streamedText = '';
  for await (const chunk of stream) streamedText += chunk.choices[0]?.delta?.content ?? '';
  console.log(JSON.stringify({ streamedText }));
}

streamOnce().then(() => telemetry.shutdown());
