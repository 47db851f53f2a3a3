import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { loadOpenAI } from './support/sdk-versions';

// The README's "already running the NodeSDK" recipe in-process (test/node-sdk-readme.test.ts runs its
// exact text in a child process): no instrumentation.flush(), which NodeSDK users do not call.
let standIn: ProviderStandIn;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute({ answer: { content: 'Your order ships tomorrow, jane.doe@example.com.' } }));
});
afterAll(async () => {
  await standIn.close();
});

test('LlmInstrumentation and LlmSpanProcessor inside an existing NodeSDK; enable()/disable(); sdk.shutdown() exports the last span', async () => {
  // InMemorySpanExporter forgets its spans at shutdown: keep what it was given.
  const exported: ReadableSpan[] = [];
  const exporter = new InMemorySpanExporter();
  const exportSpans = exporter.export.bind(exporter);
  exporter.export = (spans, done) => {
    exported.push(...spans);
    exportSpans(spans, done);
  };
  const instrumentation = new LlmInstrumentation({ captureContent: true, providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  const sdk = new NodeSDK({
    serviceName: 'node-sdk-app',
    instrumentations: [instrumentation],
    spanProcessors: [new LlmSpanProcessor(new BatchSpanProcessor(exporter))],
  });
  sdk.start();
  let shutDown = false;
  try {
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
    instrumentation.disable();
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'And now?' }] });
    instrumentation.enable();
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Again?' }] });
    // At once, as an app's last line does: the last span is still completing (it ends one
    // setImmediate after the caller's read), and the batch queue has not exported anything yet.
    shutDown = true;
    await sdk.shutdown();
    const spans = exported.filter((span) => span.instrumentationScope.name === '@llm-otel/instrumentation');
    expect(spans).toHaveLength(2);
    expect(spans[0].resource.attributes['service.name']).toBe('node-sdk-app');
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(String(spans[0].attributes['gen_ai.output.messages'])).toContain('<EMAIL>');
  } finally {
    if (!shutDown) await sdk.shutdown();
  }
});
