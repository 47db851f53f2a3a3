import { RedisBudgetStore, type RedisStoreAvailability, type SpendIncrement } from '@llm-otel/budgets';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './support/until';
import { REDIS_SERVER_AVAILABLE, type RedisServer, startRedisServer } from '../support/redis-server';

/** The Redis budget store on a real redis-server, through both clients it supports. */

const DAY_END = Date.UTC(2026, 11, 2);
const inc = (key: string, exactMicros: number, more: Partial<SpendIncrement> = {}): SpendIncrement => ({
  key,
  exactMicros,
  estimatedMicros: 0,
  unpricedCalls: 0,
  calls: 1,
  expiresAt: DAY_END,
  ...more,
});

async function collect(store: RedisBudgetStore, prefix?: string) {
  const out = new Map<string, number>();
  for await (const [key, totals] of store.entries(prefix)) out.set(key, totals.exactMicros);
  return out;
}

describe.skipIf(!REDIS_SERVER_AVAILABLE)('RedisBudgetStore on a real redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const clients = {
    'redis (node-redis 5)': async () => {
      const client = createClient({ url: server.url });
      client.on('error', () => {});
      await client.connect();
      return { client, quit: () => client.close() };
    },
    ioredis: async () => {
      const client = new Redis(server.url, { lazyConnect: true });
      client.on('error', () => {});
      await client.connect();
      return { client, quit: async () => void (await client.quit()) };
    },
  };

  for (const [name, connect] of Object.entries(clients)) {
    describe(name, () => {
      it('adds exact integer micro-dollars atomically, answers the totals after each add, and expires the key at expiresAt', async () => {
        const { client, quit } = await connect();
        const store = new RedisBudgetStore({ client, prefix: `${name}:` });
        // 1,000 concurrent adds of 0.000001 USD.. and one of 0.1 USD: floats would drift, HINCRBY does not.
        const answers = await Promise.all([
          ...Array.from({ length: 1000 }, () => store.add(inc('day', 1))),
          store.add(inc('day', 100_000, { estimatedMicros: 7, unpricedCalls: 1 })),
        ]);
        const totals = (await store.get(['day', 'absent'])).get('day');
        expect(totals).toEqual({ exactMicros: 101_000, estimatedMicros: 7, unpricedCalls: 1, calls: 1001 });
        expect((await store.get(['absent'])).has('absent')).toBe(false);
        // Every answer is a real total at some moment: never above the end, and the last equals it.
        expect(Math.max(...answers.map((answer) => answer.calls))).toBe(1001);
        const raw = createClient({ url: server.url });
        await raw.connect();
        // The end of the period plus the default 35 days, so last month stays readable for usage reports.
        expect(await raw.pExpireTime(`${name}:day`)).toBe(DAY_END + 35 * 86_400_000);
        await raw.close();
        await store.close();
        await quit();
      });

      it('lists every key under a prefix with SCAN across pages, the prefix taken literally (glob characters too)', async () => {
        const { client, quit } = await connect();
        const store = new RedisBudgetStore({ client, prefix: `${name}:list:` });
        await Promise.all(Array.from({ length: 1200 }, (_, index) => store.add(inc(`a*[b]?|${index}`, index + 1))));
        await store.add(inc('aX[b]?|other', 5)); // matches the glob a*[b]? but not the literal prefix
        const listed = await collect(store, 'a*[b]?|');
        expect(listed.size).toBe(1200);
        expect(listed.get('a*[b]?|1199')).toBe(1200);
        expect((await collect(store)).size).toBe(1201);
        await store.close();
        await quit();
      });
    });
  }
});

describe.skipIf(!REDIS_SERVER_AVAILABLE)('RedisBudgetStore when Redis goes away', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ durable: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function connectNodeRedis() {
    // Reconnect quickly so the test does not wait out node-redis's default backoff.
    const client = createClient({ url: server.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  async function connectIoRedis() {
    const client = new Redis(server.url, { lazyConnect: true, retryStrategy: () => 50 });
    client.on('error', () => {});
    await client.connect();
    return client;
  }
  const reconnecting = {
    'redis (node-redis 5)': async () => {
      const client = await connectNodeRedis();
      return { client, quit: () => client.close() };
    },
    ioredis: async () => {
      const client = await connectIoRedis();
      return { client, quit: async () => void client.disconnect() };
    },
  };

  it.each(Object.keys(reconnecting) as (keyof typeof reconnecting)[])(
    '%s: killed and restarted on the same port mid-run: calls never wait it out, nothing is lost, nothing is doubled',
    async (name) => {
      const { client, quit } = await reconnecting[name]();
      const events: RedisStoreAvailability[] = [];
      const store = new RedisBudgetStore({
        client,
        prefix: `kill:${name}:`,
        commandTimeoutMs: 500,
        retryIntervalMs: 50,
        onAvailabilityChange: (event) => events.push(event),
      });
      let expected = 0;
      let slowest = 0;
      const running = (async () => {
        for (let index = 0; index < 600; index++) {
          const micros = (index % 7) + 1;
          expected += micros;
          const started = Date.now();
          await Promise.all([store.add(inc('day', micros)), store.add(inc(`month`, micros))]);
          slowest = Math.max(slowest, Date.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      await until('some adds', () => expected > 200);
      await server.kill();
      await until('the outage seen', () => events.some((event) => event.state === 'unavailable'));
      await new Promise((resolve) => setTimeout(resolve, 300)); // adds keep coming while it is down
      await server.restart();
      await running;
      await until('everything held written', () => store.stats().pendingKeys === 0 && store.stats().available);
      const totals = await store.get(['day', 'month']);
      expect(totals.get('day')).toEqual({ exactMicros: expected, estimatedMicros: 0, unpricedCalls: 0, calls: 600 });
      expect(totals.get('month')?.exactMicros).toBe(expected);
      expect(events.map((event) => event.state)).toEqual(['unavailable', 'recovered']);
      expect(events[0].reason).toMatch(/^[A-Za-z_]+$/);
      expect(store.stats()).toMatchObject({ droppedIncrements: 0, outages: 1 });
      // An add never waited for the outage to end: at most one command timeout.
      expect(slowest).toBeLessThan(10_000);
      await store.close();
      await quit();
    },
  );

  it('an add that timed out but reached Redis (writes paused longer than the timeout) is resent and counted once', async () => {
    const client = await connectNodeRedis();
    const admin = await connectNodeRedis();
    const store = new RedisBudgetStore({ client, prefix: 'resend:', commandTimeoutMs: 200, retryIntervalMs: 50 });
    await store.add(inc('k', 10));
    // CLIENT PAUSE WRITE holds writes without failing them (what a failover or a stalled Redis does):
    // the store times out, cannot know whether the add was applied, and resends it later.
    await admin.sendCommand(['CLIENT', 'PAUSE', '800', 'WRITE']);
    await store.add(inc('k', 5));
    expect(store.stats().available).toBe(false);
    await until('everything held written', () => store.stats().pendingKeys === 0 && store.stats().available);
    await new Promise((resolve) => setTimeout(resolve, 300)); // any late copy of the add has run by now
    expect((await store.get(['k'])).get('k')).toMatchObject({ exactMicros: 15, calls: 2 });
    await store.close();
    await client.close();
    await admin.close();
  });

  it('holds at most maxPendingKeys keys while Redis is down and counts what it drops; failClosed makes get reject', async () => {
    const client = await connectNodeRedis();
    const open = new RedisBudgetStore({ client, prefix: 'bound:', maxPendingKeys: 3, commandTimeoutMs: 300, retryIntervalMs: 50 });
    const closed = new RedisBudgetStore({ client, prefix: 'bound:', failClosed: true, commandTimeoutMs: 300, retryIntervalMs: 50 });
    await open.add(inc('k0', 1));
    await server.kill();
    await open.add(inc('k0', 1)); // fails, held
    await until('the outage seen', () => !open.stats().available);
    for (let index = 1; index < 6; index++) await open.add(inc(`k${index}`, 100));
    expect(open.stats()).toMatchObject({ pendingKeys: 3, droppedIncrements: 3, droppedMicros: 300 });
    // Fail open: get answers from what this process knows.
    expect((await open.get(['k0'])).get('k0')?.exactMicros).toBe(2);
    await expect(closed.get(['k0'])).rejects.toThrow(/unavailable.*failClosed/);
    await server.restart();
    await until('held keys written', () => open.stats().pendingKeys === 0 && open.stats().available);
    const totals = await open.get(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
    expect([...totals.keys()].sort()).toEqual(['k0', 'k1', 'k2']);
    expect(totals.get('k0')?.exactMicros).toBe(2);
    await until(
      'the fail-closed store back too',
      async () =>
        await closed.get(['k0']).then(
          () => true,
          () => false,
        ),
    );
    await open.close();
    await closed.close();
    await client.close();
  });
});
