import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { BudgetEngine, MemoryBudgetStore, spendKeyPrefix, type BudgetAlert, type BudgetDefinition } from '@llm-otel/budgets';
import { loadAnthropic, loadOpenAI, loadSelfTracingVercelAI } from '../support/sdk-versions';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { ANTHROPIC_CALL_MICROS, anthropicMessage, OPENAI_CALL_MICROS, openaiCompletion } from './support/wire';

// The real openai and @anthropic-ai/sdk clients against the stand-in, with the budget engine plugged
// into LlmInstrumentation as setupTelemetry() plugs it: accounting from the call's own completion,
// alerts once, and hard stops that the stand-in never sees (it counts the requests it receives).

let standIn: ProviderStandIn;
let otel: InstrumentedUnderTest | undefined;
beforeAll(async () => {
  standIn = await startProviderStandIn();
});
afterAll(async () => standIn.close());
afterEach(async () => {
  await otel?.close();
  otel = undefined;
});

type Hooks = 'both hooks' | 'undici hook only';
const HOOKS: Hooks[] = ['both hooks', 'undici hook only'];

function instrument(engine: BudgetEngine, hooks: Hooks, maxRequestBodyBytes?: number): InstrumentedUnderTest {
  otel = instrumentInMemory({
    maxRequestBodyBytes,
    providers: [
      { baseUrl: `${standIn.url}/oa/v1`, name: 'openai' },
      { baseUrl: `${standIn.url}/an`, name: 'anthropic' },
    ],
    hooks: hooks === 'both hooks' ? { fetch: true, undici: true } : { fetch: false, undici: true },
    onCallCompleted: engine.onCallCompleted,
    beforeSend: engine.check,
  });
  otel.instrumentation.enable();
  return otel;
}

async function openai(maxRetries = 0) {
  const { OpenAI } = await loadOpenAI();
  return new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/oa/v1`, maxRetries });
}

async function anthropic(maxRetries = 0) {
  const { Anthropic } = await loadAnthropic();
  return new Anthropic({ apiKey: 'test', baseURL: `${standIn.url}/an`, maxRetries });
}

async function spentMicros(engine: BudgetEngine, budget: string): Promise<{ micros: number; calls: number }> {
  let micros = 0;
  let calls = 0;
  for await (const [, totals] of engine.store.entries(spendKeyPrefix(budget))) {
    micros += totals.exactMicros + totals.estimatedMicros;
    calls += totals.calls;
  }
  return { micros, calls };
}

async function keysOf(store: MemoryBudgetStore, budget: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const [key] of store.entries(spendKeyPrefix(budget))) keys.push(key);
  return keys;
}

const requestsTo = (prefix: string) => standIn.requests.filter((request) => request.path.startsWith(prefix)).length;

const chatOpenAI = async (stream: boolean, maxRetries = 0) => {
  const client = await openai(maxRetries);
  const messages = [{ role: 'user' as const, content: 'hi' }];
  if (!stream) return client.chat.completions.create({ model: 'gpt-4o-mini', messages, max_tokens: 100 });
  const chunks = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    max_tokens: 100,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _ of chunks);
  return undefined;
};

const chatAnthropic = async (stream: boolean, maxRetries = 0) => {
  const client = await anthropic(maxRetries);
  const request = { model: 'claude-3-5-haiku-20241022', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };
  if (!stream) return client.messages.create(request);
  return client.messages.stream(request).finalMessage();
};

const SDKS = [
  { sdk: 'openai', call: chatOpenAI, route: '/oa/v1/chat/completions', answer: openaiCompletion, micros: OPENAI_CALL_MICROS },
  { sdk: '@anthropic-ai/sdk', call: chatAnthropic, route: '/an/v1/messages', answer: anthropicMessage, micros: ANTHROPIC_CALL_MICROS },
] as const;

describe.each(HOOKS)('%s', (hooks) => {
  describe.each(SDKS)('$sdk', ({ sdk, call, route, answer, micros }) => {
    describe.each([false, true])('stream: %s', (stream) => {
      test('each call is charged once; at the daily limit the next call is refused before it is sent, with a 402 the SDK does not retry', async () => {
        standIn.script({ method: 'POST', path: route, respond: () => answer(stream) });
        const alerts: BudgetAlert[] = [];
        const budgets: BudgetDefinition[] = [{ name: `daily-${sdk}`, limitUsd: (2.5 * micros) / 1e6, period: 'day', hardStop: true, warnAt: 0.3 }];
        const engine = new BudgetEngine({ budgets, onAlert: (alert) => alerts.push(alert) });
        const otel = instrument(engine, hooks);
        const before = requestsTo(route);

        await call(stream);
        await otel.spans(1);
        expect(await spentMicros(engine, budgets[0].name)).toEqual({ micros, calls: 1 });
        expect(alerts.map((alert) => alert.level)).toEqual(['warning']);
        await call(stream);
        await call(stream);
        await otel.spans(3);
        expect(await spentMicros(engine, budgets[0].name)).toEqual({ micros: 3 * micros, calls: 3 });
        expect(alerts.map((alert) => alert.level)).toEqual(['warning', 'critical']);
        const crossing = otel.exporter.getFinishedSpans()[2];
        expect(crossing.events.map((event) => [event.name, event.attributes?.['llm_otel.budget.alert.level']])).toEqual([
          ['llm_otel.budget.alert', 'critical'],
        ]);
        expect(requestsTo(route)).toBe(before + 3);

        // Over the limit: refused, not retried (maxRetries 3), never seen by the stand-in.
        const refused = await call(stream, 3).then(
          () => undefined,
          (error: unknown) => error as { status?: number; message: string },
        );
        expect(refused?.status).toBe(402);
        expect(refused?.message).toContain(`llm-otel budget '${budgets[0].name}'`);
        expect(refused?.message).toMatch(/over by \$0\.00\d+/);
        expect(requestsTo(route)).toBe(before + 3);
        // The refused call has a span (with its error), and is charged nothing.
        await otel.spans(4);
        expect(await spentMicros(engine, budgets[0].name)).toEqual({ micros: 3 * micros, calls: 3 });
        await engine.close();
      });
    });
  });
});

describe('counted right', () => {
  test('openai: a 429 then a 200 (an SDK retry) is charged once', async () => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: () => openaiCompletion(false) });
    standIn.script({
      method: 'POST',
      path: route,
      times: 1,
      respond: {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after-ms': '10' },
        body: JSON.stringify({ error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }),
      },
    });
    const engine = new BudgetEngine({ budgets: [{ name: 'retry', limitUsd: 1, period: 'month' }] });
    const otel = instrument(engine, 'both hooks');
    const before = requestsTo(route);
    await chatOpenAI(false, 2);
    expect(requestsTo(route)).toBe(before + 2);
    await otel.spans(2);
    expect(await spentMicros(engine, 'retry')).toEqual({ micros: OPENAI_CALL_MICROS, calls: 1 });
  });

  test('a per-request hard stop refuses a call whose worst case (input bytes + max_tokens) exceeds it, and lets a small one through', async () => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: () => openaiCompletion(false) });
    // gpt-4o-mini output at $0.60 per 1M: max_tokens 16384 is at most $0.0098; 100 tokens at most $0.00006 plus input.
    const engine = new BudgetEngine({ budgets: [{ name: 'per-call', limitUsd: 0.001, period: 'request', hardStop: true }] });
    instrument(engine, 'both hooks');
    const client = await openai(2);
    const before = requestsTo(route);
    const refused = await client.chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 16384 })
      .catch((error: Error) => error);
    expect((refused as { status?: number }).status).toBe(402);
    expect((refused as Error).message).toMatch(/could cost up to \$0\.0098\d*, \$0\.0088\d* over its per-request limit of \$0\.001/);
    expect(requestsTo(route)).toBe(before);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });
    expect(requestsTo(route)).toBe(before + 1);
  });

  test('a model without a price: counted as unpriced; a budget with unpriced "refuse" stops it before sending', async () => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: (request) => openaiCompletion(false, JSON.parse(request.body).model) });
    const store = new MemoryBudgetStore();
    const engine = new BudgetEngine({
      store,
      budgets: [
        { name: 'counting', limitUsd: 1, period: 'day' },
        { name: 'priced-only', limitUsd: 1, period: 'day', hardStop: true, unpriced: 'refuse', scope: { model: 'my-finetune' } },
      ],
    });
    const otel = instrument(engine, 'both hooks');
    const client = await openai(0);
    const before = requestsTo(route);
    await client.chat.completions.create({ model: 'another-unpriced-model', messages: [{ role: 'user', content: 'hi' }] });
    await otel.spans(1);
    const totals = (await store.get([...(await keysOf(store, 'counting'))])).values().next().value;
    expect(totals).toEqual({ exactMicros: 0, estimatedMicros: 0, unpricedCalls: 1, calls: 1 });
    const refused = await client.chat.completions.create({ model: 'my-finetune', messages: [{ role: 'user', content: 'hi' }] }).catch((error: Error) => error);
    expect((refused as Error).message).toContain('refuses calls to models without a price, and my-finetune has none');
    expect(requestsTo(route)).toBe(before + 1);
  });

  test.each(HOOKS)('%s: a body larger than the request-body bound is not read, so the check fails open (the call is sent)', async (hooks) => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: () => openaiCompletion(false) });
    const engine = new BudgetEngine({ budgets: [{ name: 'spent', limitUsd: 0.000001, period: 'day', hardStop: true }] });
    const otel = instrument(engine, hooks, 2048);
    await chatOpenAI(false);
    await otel.spans(1);
    // Spent now: a small request is refused, one over 2 KiB goes out unread.
    await expect(chatOpenAI(false)).rejects.toMatchObject({ status: 402 });
    const before = requestsTo(route);
    const client = await openai(0);
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(4096) }] });
    expect(requestsTo(route)).toBe(before + 1);
  });

  test('a self-tracing SDK (the AI SDK with its own telemetry on) is charged once: its spans are never read', async () => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: () => openaiCompletion(false) });
    const engine = new BudgetEngine({ budgets: [{ name: 'ai-sdk', limitUsd: 1, period: 'day' }] });
    const otel = instrument(engine, 'both hooks');
    const { ai, createOpenAI } = await loadSelfTracingVercelAI();
    const provider = createOpenAI({ apiKey: 'test', baseURL: `${standIn.url}/oa/v1` });
    await ai.generateText({
      model: provider.chat('gpt-4o-mini'),
      prompt: 'hi',
      experimental_telemetry: { isEnabled: true, tracer: otel.provider.getTracer('ai') },
    });
    // ai.generateText, ai.generateText.doGenerate (both with usage on them) and our chat span.
    await otel.spans(3);
    // The AI SDK made spans of its own with usage on them; the budget counted the one HTTP call.
    expect(otel.exporter.getFinishedSpans().some((span) => span.name.startsWith('ai.generateText'))).toBe(true);
    expect(await spentMicros(engine, 'ai-sdk')).toEqual({ micros: OPENAI_CALL_MICROS, calls: 1 });
  });
});
