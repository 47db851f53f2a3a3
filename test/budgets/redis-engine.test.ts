import { BudgetEngine, type BudgetDefinition, RedisBudgetStore, spendKeyPrefix } from '@llm-otel/budgets';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { instrumentInMemory, type InstrumentedUnderTest } from '../support/in-memory';
import { until } from './support/until';
import { REDIS_SERVER_AVAILABLE, type RedisServer, startRedisServer } from '../support/redis-server';
import { loadOpenAI } from '../support/sdk-versions';
import { OPENAI_CALL_MICROS, openaiCompletion } from './support/wire';

// The budget engine on a RedisBudgetStore, through the real openai SDK, while Redis is away: by default
// calls proceed and their spend reaches Redis when it is back; with failClosed a hard stop refuses them
// before they are sent.

const ROUTE = '/oa/v1/chat/completions';

describe.skipIf(!REDIS_SERVER_AVAILABLE)('budget engine on Redis when Redis is down', () => {
  let standIn: ProviderStandIn;
  let server: RedisServer;
  let otel: InstrumentedUnderTest | undefined;
  beforeAll(async () => {
    standIn = await startProviderStandIn();
    standIn.script({ method: 'POST', path: ROUTE, respond: () => openaiCompletion(false) });
    server = await startRedisServer({ durable: true });
  });
  afterAll(async () => {
    await standIn?.close();
    await server?.stop();
  });
  afterEach(async () => {
    await otel?.close();
    otel = undefined;
    if (!(await reachable())) await server.restart();
  });

  async function reachable(): Promise<boolean> {
    const probe = createClient({ url: server.url, socket: { reconnectStrategy: false } });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.close();
      return true;
    } catch {
      return false;
    }
  }

  async function engineOn(failClosed: boolean, name: string) {
    const client = createClient({ url: server.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    const store = new RedisBudgetStore({ client, failClosed, commandTimeoutMs: 300, retryIntervalMs: 50 });
    const budgets: BudgetDefinition[] = [{ name, limitUsd: 1, period: 'day', hardStop: true }];
    const engine = new BudgetEngine({ budgets, store });
    otel = instrumentInMemory({
      providers: [{ baseUrl: `${standIn.url}/oa/v1`, name: 'openai' }],
      onCallCompleted: engine.onCallCompleted,
      beforeSend: engine.check,
    });
    otel.instrumentation.enable();
    const { OpenAI } = await loadOpenAI();
    const openai = new OpenAI({ apiKey: 'test', baseURL: `${standIn.url}/oa/v1`, maxRetries: 0 });
    const call = () => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 });
    const spent = async () => {
      let micros = 0;
      for await (const [, totals] of store.entries(spendKeyPrefix(name))) micros += totals.exactMicros;
      return micros;
    };
    return { client, store, engine, call, spent };
  }

  const requests = () => standIn.requests.filter((request) => request.path === ROUTE).length;

  test('fail open (default): calls proceed while Redis is killed, and their spend is in Redis once it is back', async () => {
    const { client, engine, call, spent } = await engineOn(false, 'open');
    await call();
    await otel!.spans(1);
    await server.kill();
    await until('the client to see the kill', () => !client.isReady);
    const before = requests();
    await call();
    await call();
    await otel!.spans(3);
    expect(requests()).toBe(before + 2);
    await server.restart();
    await until('the spend held meanwhile in Redis', async () => (await spent().catch(() => 0)) === 3 * OPENAI_CALL_MICROS);
    await engine.close();
    await client.close();
  });

  test('fail closed: a hard-stop budget refuses calls before they are sent while Redis is unreachable, and lets them through once it is back', async () => {
    const { client, engine, call } = await engineOn(true, 'closed');
    await call();
    await server.kill();
    await until('the client to see the kill', () => !client.isReady);
    const before = requests();
    const refused = await call().then(
      () => undefined,
      (error: unknown) => error as { status?: number; message?: string },
    );
    expect(refused?.status).toBe(402);
    expect(refused?.message).toMatch(/budget 'closed' cannot be checked: its redis store is unreachable and set to fail closed/);
    expect(requests()).toBe(before);
    await server.restart();
    await until('the client reconnected', () => client.isReady);
    await until('the store answering again', () => !(engine.store as RedisBudgetStore).refusesCalls());
    await call();
    expect(requests()).toBe(before + 1);
    await engine.close();
    await client.close();
  });
});
