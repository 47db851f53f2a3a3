import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The application's OpenTelemetry: the 3.x line, resolved from test/otel3/node_modules (api 1.10, sdk-node
// 0.301, sdk-trace 3), while llm-otel's packages use their own @opentelemetry/api 1.9: two API copies
// sharing the global registry, as in an application that upgraded before llm-otel did.
import { trace } from '@opentelemetry/api';
import { startNodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, SimpleSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { PiiMaskingSpanProcessor } from '@llm-otel/pii';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';

// Issue 15 item 5: llm-otel beside a user's NodeSDK of the OpenTelemetry JS 3.x line (Node 22.15+; the
// 2.x line is what the rest of the suite runs). Skipped on older Node with the reason printed.
const [NODE_MAJOR, NODE_MINOR] = process.versions.node.split('.').map(Number);
const OTEL3_RUNS = NODE_MAJOR > 22 || (NODE_MAJOR === 22 && NODE_MINOR >= 15);
const SKIP_REASON = `the OpenTelemetry JS 3.x line needs Node >= 22.15, this is Node ${process.versions.node}`;
if (!OTEL3_RUNS) console.warn(`OpenTelemetry 3.x tests skipped: ${SKIP_REASON} (they run on the Node 24 leg)`);

const body = (content: string) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], stream: true, stream_options: { include_usage: true } });

/** Keeps what it exported after shutdown (the SDK's InMemorySpanExporter forgets it there, and the 3.x SDK handle only has shutdown). */
class KeepingExporter implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.spans.push(...spans);
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

async function streamedChat(standIn: ProviderStandIn, content: string): Promise<string> {
  const response = await fetch(`${standIn.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(content) });
  return response.text();
}

describe.skipIf(!OTEL3_RUNS)('beside startNodeSDK of the OpenTelemetry JS 3.x line', () => {
  let standIn: ProviderStandIn;
  beforeAll(async () => {
    standIn = await startProviderStandIn();
    standIn.script(realisticChatRoute());
  });
  afterAll(async () => {
    await standIn?.close();
  });

  test('LlmInstrumentation records the call under the app span, LlmSpanProcessor masks it, shutdown flushes it', async () => {
    const exporter = new KeepingExporter();
    const providers = [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }];
    const sdk = startNodeSDK({
      resourceAttributes: { 'service.name': 'otel3-app' },
      resourceDetectors: [],
      instrumentations: [new LlmInstrumentation({ providers })],
      spanProcessors: [new LlmSpanProcessor(new BatchSpanProcessor({ exporter }), { pii: {} })],
    });
    try {
      const text = await trace.getTracer('otel3-app').startActiveSpan('ticket of jane.doe@example.com', async (span) => {
        try {
          return await streamedChat(standIn, 'Where is my order?');
        } finally {
          span.end();
        }
      });
      expect(text).toContain('data: [DONE]');
    } finally {
      await sdk.shutdown();
    }
    const spans = exporter.spans;
    const llm = spans.find((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    const app = spans.find((span) => span.name.startsWith('ticket of'));
    expect(llm, spans.map((span) => span.name).join(', ')).toBeDefined();
    expect(llm!.name).toBe('chat gpt-4o-mini');
    expect(llm!.attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.stream': true, 'llm_otel.hook': 'fetch' });
    expect(llm!.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(llm!.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
    expect(llm!.parentSpanContext?.spanId).toBe(app!.spanContext().spanId);
    expect(app!.name).toBe('ticket of <EMAIL>');
    expect(llm!.resource.attributes['service.name']).toBe('otel3-app');
  });

  test('PiiMaskingSpanProcessor around a 3.x SimpleSpanProcessor masks what the exporter gets', async () => {
    // A TracerProvider of its own: the 3.x SDK handle does not unregister its globals at shutdown, so a
    // second startNodeSDK in one process would not take effect.
    const exporter = new KeepingExporter();
    const provider = new TracerProvider({ spanProcessors: [new PiiMaskingSpanProcessor(new SimpleSpanProcessor({ exporter }))] });
    provider
      .getTracer('otel3-app')
      .startSpan('mail', { attributes: { note: 'write to jane.doe@example.com' } })
      .end();
    await provider.shutdown();
    expect(exporter.spans.map((span) => span.attributes.note)).toEqual(['write to <EMAIL>']);
  });
});
