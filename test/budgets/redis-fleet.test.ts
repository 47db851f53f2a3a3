import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisBudgetStore } from '@llm-otel/budgets';
import { build } from 'esbuild';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../support/node-child';
import { REDIS_SERVER_AVAILABLE, type RedisServer, startRedisServer } from '../support/redis-server';

/** Two replicas (child processes) of one service share one Redis and reach one daily limit together. */

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

describe.skipIf(!REDIS_SERVER_AVAILABLE)('two processes sharing one Redis', () => {
  let server: RedisServer;
  let scratch: string;
  let replica: string;
  beforeAll(async () => {
    server = await startRedisServer();
    scratch = mkdtempSync(join(tmpdir(), 'llm-otel-fleet-'));
    replica = join(scratch, 'replica.cjs');
    // A deployed replica: one bundled file run by plain node, the store from its TypeScript source.
    await build({
      entryPoints: [join(here, 'apps/fleet-replica.ts')],
      outfile: replica,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      alias: { '@llm-otel/budgets': join(packages, 'budgets/src/index.ts'), '@llm-otel/instrumentation': join(packages, 'instrumentation/src/index.ts') },
    });
  });
  afterAll(async () => {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('each replica stops at the shared daily total, not at its own', async () => {
    const limit = 300_000; // 0.30 USD
    const cost = 1_000; // 0.001 USD a call: 300 calls in all
    const env = { REDIS_URL: server.url, LIMIT_MICROS: String(limit), COST_MICROS: String(cost), REPLICAS: '2' };
    const children = [startNode([replica], { cwd: scratch, env, timeoutMs: 60_000 }), startNode([replica], { cwd: scratch, env, timeoutMs: 60_000 })];
    const exits = await Promise.all(children.map((child) => child.exited));
    const calls = exits.map((exit) => {
      expect(exit.stderr).toBe('');
      return Number(/CALLS (\d+)/.exec(exit.stdout)?.[1]);
    });
    const client = createClient({ url: server.url });
    await client.connect();
    const store = new RedisBudgetStore({ client, prefix: 'fleet:' });
    const total = (await store.get(['llm-otel:budget:v1:daily|day:2026-12-01|service=checkout'])).values().next().value;
    await store.close();
    await client.close();
    // Both spent, neither alone reached the limit, and the store holds exactly what they spent.
    expect(calls.every((count) => count > 0 && count * cost < limit)).toBe(true);
    expect(total).toEqual({ exactMicros: (calls[0] + calls[1]) * cost, estimatedMicros: 0, unpricedCalls: 0, calls: calls[0] + calls[1] });
    // The check and the add are two steps, so replicas racing at the edge may each pass it once:
    // the overshoot is at most one call per other replica (documented in the package README).
    expect(total?.exactMicros).toBeGreaterThanOrEqual(limit);
    expect(total?.exactMicros).toBeLessThanOrEqual(limit + cost);
  });
});
