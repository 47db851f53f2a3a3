import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixtureRoutes, loadFixture, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { loadOpenAI } from './support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from './support/telemetry';

// The real openai SDK → the local stand-in replaying recorded OpenAI bytes → our hooks →
// setupTelemetry()'s real OTLP exporter (gRPC, then http/protobuf) → the receiver, decoded.
for (const protocol of ['grpc', 'http/protobuf'] as const) {
  describe(`OpenAI chat completions exported over OTLP ${protocol}`, () => {
    let standIn: ProviderStandIn;
    let otel: TelemetryUnderTest;

    beforeAll(async () => {
      standIn = await startProviderStandIn();
      otel = await telemetryToReceiver({ protocol, providers: [{ baseUrl: `${standIn.url}/v1`, name: 'openai' }], pii: false });
    });
    afterAll(async () => {
      await otel.close();
      await standIn.close();
    });

    test('a non-streamed completion: request parameters, response, usage, cost; the SDK gets the recorded body', async () => {
      const fixture = loadFixture('openai-chat.json');
      for (const route of fixtureRoutes('openai-chat.json')) standIn.script(route);
      const { OpenAI } = await loadOpenAI();
      const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
      const request = JSON.parse(fixture.entries[0].request.body);
      const completion = await client.chat.completions.create({
        ...request,
        temperature: 0.3,
        top_p: 0.9,
        max_tokens: 64,
        seed: 7,
        stop: ['END'],
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
        n: 1,
      });
      expect(completion).toEqual(JSON.parse(fixture.entries[0].response.body));

      const [span] = await otel.flushedLlmSpans(1);
      const recorded = JSON.parse(fixture.entries[0].response.body);
      expect(span.name).toBe(`chat ${request.model}`);
      expect(span.kind).toBe(3); // CLIENT
      expect(span.scope.schemaUrl).toBe('https://opentelemetry.io/schemas/1.41.0');
      expect(span.resource['service.name']).toBe('llm-otel-test');
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': request.model,
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.top_p': 0.9,
        'gen_ai.request.max_tokens': 64,
        'gen_ai.request.seed': 7,
        'gen_ai.request.stop_sequences': ['END'],
        'gen_ai.request.frequency_penalty': 0.1,
        'gen_ai.request.presence_penalty': 0.2,
        'gen_ai.request.choice.count': 1,
        'gen_ai.response.id': recorded.id,
        'gen_ai.response.model': recorded.model,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': recorded.usage.prompt_tokens,
        'gen_ai.usage.output_tokens': recorded.usage.completion_tokens,
        'http.response.status_code': 200,
        'server.address': '127.0.0.1',
        'llm_otel.hook': 'fetch',
      });
      expect(span.attributes['gen_ai.usage.cost']).toBeGreaterThan(0);
      expect(span.attributes['llm_otel.cost.price_table_version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(span.attributes['llm_otel.context_window.utilization']).toBeGreaterThan(0);
      expect(span.attributes['gen_ai.input.messages']).toBeUndefined(); // content capture is off by default
      expect(span.status.code).toBe(0);
    });

    test('a stream with include_usage: usage from the last chunk (choices: []), time to first chunk; the SDK sees every chunk', async () => {
      otel.receiver.clear();
      const fixture = loadFixture('openai-chat-stream-include-usage.json');
      for (const route of fixtureRoutes('openai-chat-stream-include-usage.json')) standIn.script(route);
      const { OpenAI } = await loadOpenAI();
      const client = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 });
      const request = JSON.parse(fixture.entries[0].request.body);
      const stream = await client.chat.completions.create({ ...request, stream: true });
      const chunks: unknown[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      const recordedChunks = fixture.entries[0].response.body
        .split('\n\n')
        .map((event: string) => event.replace(/^data: /, ''))
        .filter((data: string) => data && data !== '[DONE]')
        .map((data: string) => JSON.parse(data));
      expect(chunks).toEqual(recordedChunks);
      const usage = (recordedChunks.at(-1) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;

      const [span] = await otel.flushedLlmSpans(1);
      expect(span.attributes).toMatchObject({
        'gen_ai.request.stream': true,
        'gen_ai.usage.input_tokens': usage.prompt_tokens,
        'gen_ai.usage.output_tokens': usage.completion_tokens,
        'llm_otel.response.event_count': recordedChunks.length + 1,
      });
      expect(span.attributes['llm_otel.usage.estimated']).toBeUndefined();
      expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
      expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeLessThan(Number(span.endTimeUnixNano - span.startTimeUnixNano) / 1e9);
    });
  });
}
