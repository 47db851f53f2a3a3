import { BudgetEngine, RedisBudgetStore } from '@llm-otel/budgets';
import { LlmInstrumentation } from '@llm-otel/instrumentation';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { createClient } from 'redis';

/**
 * One replica of a service in the fleet test, as an app runs it: the budget engine on a shared Redis,
 * plugged into the instrumentation, the real openai SDK calling the provider stand-in until the
 * shared daily hard stop refuses. Prints `SENT <n> REFUSED <status>`.
 */
const { REDIS_URL = '', BASE_URL = '', LIMIT_USD = '0', REPLICAS = '2' } = process.env;

async function main(): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  const store = new RedisBudgetStore({ client, prefix: 'engine-fleet:' });
  const engine = new BudgetEngine({
    budgets: [{ name: 'fleet-daily', limitUsd: Number(LIMIT_USD), period: 'day', hardStop: true }],
    store,
    serviceName: 'checkout',
  });
  const instrumentation = new LlmInstrumentation({
    providers: [{ baseUrl: BASE_URL, name: 'openai' }],
    onCallCompleted: engine.onCallCompleted,
    beforeSend: engine.check,
  });
  const spans = new InMemorySpanExporter();
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  instrumentation.enable();
  const openai = new OpenAI({ apiKey: 'test', baseURL: BASE_URL, maxRetries: 0 });

  await client.incr('engine-fleet:barrier');
  while (Number(await client.get('engine-fleet:barrier')) < Number(REPLICAS)) await new Promise((resolve) => setTimeout(resolve, 5));
  let sent = 0;
  let refused: number | undefined;
  while (refused === undefined && sent < 10_000) {
    try {
      await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });
      sent++;
    } catch (error) {
      refused = (error as { status?: number }).status ?? -1;
    }
  }
  // A call is accounted just before its span ends, which may be after the SDK has answered: wait for
  // the spans of the calls sent (as an app's shutdown flushes telemetry) before closing the engine.
  const accounted = () => spans.getFinishedSpans().filter((span) => span.attributes['gen_ai.usage.input_tokens'] !== undefined).length;
  const deadline = Date.now() + 30_000;
  while (accounted() < sent && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await engine.close();
  await client.close();
  console.log(`SENT ${sent} REFUSED ${refused}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
