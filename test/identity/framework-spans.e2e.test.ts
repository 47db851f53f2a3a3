import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { trace } from '@opentelemetry/api';
import { realisticChatRoute, startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import type { ReceivedSpan } from '@llm-otel/otlp-receiver';
import { loadOpenAI, loadSelfTracingVercelAI } from '../support/sdk-versions';
import { telemetryToReceiver, type TelemetryUnderTest } from '../support/telemetry';

// Issue 12 item 3: frameworks that trace themselves, with their real packages, against the stand-in,
// spans decoded at the OTLP receiver. Each LLM call must appear once as our attempt span with usage;
// framework spans nest as its ancestors in the same trace (no orphan); gen_ai.usage.* across the trace
// count every token once; and only our attempt spans claim a model call (gen_ai.operation.name).
const require = createRequire(import.meta.url);
const OURS = '@llm-otel/instrumentation';
const MODEL_CALLS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

let standIn: ProviderStandIn;
let otel: TelemetryUnderTest;
beforeAll(async () => {
  (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
  standIn = await startProviderStandIn();
  standIn.script(realisticChatRoute());
  otel = await telemetryToReceiver({ providers: [{ baseUrl: standIn.url, name: 'openai' }] });
});
afterAll(async () => {
  await otel.close();
  await standIn.close();
});

/** Runs `work` under an application span; resolves with every span of that trace once `calls` attempts and the root arrived. */
async function traced(name: string, calls: number, work: () => Promise<unknown>): Promise<ReceivedSpan[]> {
  const traceId = await trace.getTracer('app').startActiveSpan(name, async (span) => {
    try {
      await work();
    } finally {
      span.end();
    }
    return span.spanContext().traceId;
  });
  await otel.telemetry.forceFlush();
  const inTrace = (all: ReceivedSpan[]) => all.filter((span) => span.traceId === traceId);
  await otel.receiver.waitFor((all) => {
    const spans = inTrace(all);
    return spans.filter((span) => span.scope.name === OURS).length >= calls && spans.some((span) => span.parentSpanId === undefined);
  }, 20_000);
  // Framework spans may end after ours; one more flush brings any straggler.
  await otel.telemetry.forceFlush();
  return inTrace(otel.receiver.spans);
}

function sum(spans: ReceivedSpan[], key: string): number {
  return spans.reduce((total, span) => total + Number(span.attributes[key] ?? 0), 0);
}

/** The promises of the issue, for `calls` model calls in one trace; returns the framework spans. */
function expectEachCallOnce(spans: ReceivedSpan[], calls: number): ReceivedSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const ours = spans.filter((span) => span.scope.name === OURS);
  expect(ours).toHaveLength(calls);
  for (const span of ours) expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
  // No orphan: every parent is in the trace.
  for (const span of spans) if (span.parentSpanId !== undefined) expect(byId.has(span.parentSpanId), `${span.name}'s parent`).toBe(true);
  // Only our attempt spans claim a model call.
  const claiming = spans.filter((span) => MODEL_CALLS.has(String(span.attributes['gen_ai.operation.name'])));
  expect(claiming.map((span) => span.scope.name)).toEqual(ours.map(() => OURS));
  for (const key of ['gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens']) expect(sum(spans, key), key).toBe(sum(ours, key));
  // Framework spans are ancestors of ours.
  const ancestors = new Set<string>();
  for (const span of ours) {
    for (let parent = byId.get(span.parentSpanId ?? ''); parent; parent = byId.get(parent.parentSpanId ?? '')) ancestors.add(parent.spanId);
  }
  const framework = spans.filter((span) => span.scope.name !== OURS && span.scope.name !== 'app');
  for (const span of framework) expect(ancestors.has(span.spanId), `${span.name} nests above an attempt`).toBe(true);
  return framework;
}

describe('Vercel AI SDK experimental_telemetry', () => {
  test('generateText and streamText: ai.* spans above our attempts, their usage superseded', async () => {
    const { ai, createOpenAI } = await loadSelfTracingVercelAI();
    const model = createOpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1` }).chat('gpt-4o-mini');
    // The tracer passed explicitly: `ai` may bring its own @opentelemetry/api (1.10 beside our 1.9 in
    // this lockfile), and an API copy newer than the registered global gets a no-op tracer.
    const telemetry = { isEnabled: true, tracer: trace.getTracer('ai') };
    const spans = await traced('ai sdk', 2, async () => {
      await ai.generateText({ model, prompt: 'Where is my refund?', experimental_telemetry: telemetry });
      const streamed = ai.streamText({ model, prompt: 'And my order?', experimental_telemetry: telemetry });
      for await (const _text of streamed.textStream) {
        /* read to the end */
      }
    });
    const framework = expectEachCallOnce(spans, 2);
    const names = framework.map((span) => span.name).sort();
    expect(names).toEqual(expect.arrayContaining(['ai.generateText', 'ai.generateText.doGenerate', 'ai.streamText', 'ai.streamText.doStream']));
    const step = framework.find((span) => span.name === 'ai.generateText.doGenerate')!;
    expect(step.attributes['llm_otel.superseded.gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    expect(step.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
  });
});

describe('LangChain', () => {
  test('callbacks only (no LangSmith): LangChain makes no spans; our attempt nests under the application span', async () => {
    const { ChatOpenAI } = await import('@langchain/openai');
    const chat = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test', maxRetries: 0, configuration: { baseURL: `${standIn.url}/v1` } });
    const spans = await traced('langchain', 1, () => chat.invoke('Where is my refund?'));
    expect(expectEachCallOnce(spans, 1)).toEqual([]);
  });

  test('LangSmith in OTel mode writes the LLM run onto the active span: its model-call operation name is superseded', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { LANGSMITH_TRACING: 'true', LANGSMITH_OTEL_ENABLED: 'true', LANGSMITH_API_KEY: 'test', LANGSMITH_ENDPOINT: standIn.url });
    try {
      // langsmith comes with @langchain/core; its OTel set-up, pointed at our provider, as its docs say.
      const setupModule = createRequire(require.resolve('@langchain/core/package.json')).resolve('langsmith/experimental/otel/setup');
      const { initializeOTEL } = (await import(setupModule)) as { initializeOTEL(options: object): void };
      initializeOTEL({ globalTracerProvider: otel.telemetry.tracerProvider, skipGlobalContextManagerSetup: true });
      const { ChatOpenAI } = await import('@langchain/openai');
      const chat = new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'test', maxRetries: 0, configuration: { baseURL: `${standIn.url}/v1` } });
      const spans = await traced('langsmith', 1, async () => {
        await chat.invoke('Where is my refund?');
        const { awaitAllCallbacks } = await import('@langchain/core/callbacks/promises');
        await awaitAllCallbacks();
      });
      expectEachCallOnce(spans, 1);
      const root = spans.find((span) => span.parentSpanId === undefined)!;
      expect(root.attributes['langsmith.span.kind']).toBe('llm');
      expect(root.attributes['llm_otel.superseded.gen_ai.operation.name']).toBe('chat');
    } finally {
      for (const key of ['LANGSMITH_TRACING', 'LANGSMITH_OTEL_ENABLED', 'LANGSMITH_API_KEY', 'LANGSMITH_ENDPOINT'])
        if (!(key in saved)) delete process.env[key];
    }
  });
});

describe('OpenAI Agents SDK', () => {
  test('its tracing is its own (not OpenTelemetry): our attempt nests under the application span, nothing else in the trace', async () => {
    const agents = await import('@openai/agents');
    const { OpenAI } = await loadOpenAI();
    agents.setDefaultOpenAIClient(new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/v1`, maxRetries: 0 }) as never);
    agents.setOpenAIAPI('chat_completions');
    const agent = new agents.Agent({ name: 'refunds', instructions: 'Answer briefly.', model: 'gpt-4o-mini' });
    const spans = await traced('agents', 1, () => agents.run(agent, 'Where is my refund?'));
    expect(expectEachCallOnce(spans, 1)).toEqual([]);
  });
});
