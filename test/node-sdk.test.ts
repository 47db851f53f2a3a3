import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { loadOpenAI } from './support/sdk-versions';

// The README's "already running the NodeSDK" recipe, as written there.
let standIn: ProviderStandIn;
beforeAll(async () => {
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute({ answer: { content: 'Your order ships tomorrow, jane.doe@example.com.' } }));
});
afterAll(async () => {
  await standIn.close();
});

test('LlmInstrumentation and PiiMaskingSpanProcessor inside an existing NodeSDK; enable()/disable()', async () => {
  const exporter = new InMemorySpanExporter();
  const instrumentation = new LlmInstrumentation({ captureContent: true, providers: [{ baseUrl: standIn.url, name: 'openai' }] });
  const sdk = new NodeSDK({
    serviceName: 'node-sdk-app',
    instrumentations: [instrumentation],
    spanProcessors: [new PiiMaskingSpanProcessor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 10 }))],
  });
  sdk.start();
  try {
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Where is my order?' }] });
    instrumentation.disable();
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'And now?' }] });
    instrumentation.enable();
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Again?' }] });
    await instrumentation.flush();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name === '@llm-otel/instrumentation');
    expect(spans).toHaveLength(2);
    expect(spans[0].resource.attributes['service.name']).toBe('node-sdk-app');
    expect(spans[0].attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(String(spans[0].attributes['gen_ai.output.messages'])).toContain('<EMAIL>');
  } finally {
    await sdk.shutdown();
  }
});
