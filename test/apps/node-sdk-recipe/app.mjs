// A support agent that already runs the OpenTelemetry NodeSDK the way the README's recipe sets it up:
// ./telemetry.mjs is that recipe, written here by test/node-sdk-readme.test.ts from the README.
// Usage: node app.mjs <provider stand-in url> <shutdown|sigterm>
// Makes an Anthropic stream (the Anthropic SDK traces itself: its own span carries usage too) and an
// OpenAI stream without usage (the span waits for a token estimate), then ends the NodeSDK at once:
// `shutdown` awaits sdk.shutdown(), `sigterm` sends itself SIGTERM (the recipe's handler).
import { sdk } from './telemetry.mjs';
import { trace } from '@opentelemetry/api';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

const [standInUrl, ending] = process.argv.slice(2);
const customer = 'jane.doe@example.com';

await trace.getTracer('support-agent').startActiveSpan('handle ticket', async (ticket) => {
  ticket.setAttribute('customer.email', customer);
  const anthropic = new Anthropic({ apiKey: 'test', baseURL: standInUrl, maxRetries: 0 });
  const openai = new OpenAI({ apiKey: 'test', baseURL: `${standInUrl}/v1`, maxRetries: 0 });
  // Both streams at once, so that both spans are still completing when the SDK is ended.
  await Promise.all([
    anthropic.messages
      .stream({ model: 'claude-3-opus-20240229', max_tokens: 1024, messages: [{ role: 'user', content: `My email is ${customer}. Where is my order?` }] })
      .finalMessage(),
    (async () => {
      // No stream_options.include_usage: the span ends only after a token estimate.
      const chunks = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: `Please write to ${customer} when it ships.` }],
      });
      for await (const _chunk of chunks) {
        // read to the end
      }
    })(),
  ]);
  ticket.end();
});

console.log('CALLS_RETURNED');
if (ending === 'sigterm') {
  process.kill(process.pid, 'SIGTERM');
} else {
  await sdk.shutdown();
  console.log('SHUTDOWN_RETURNED');
}
