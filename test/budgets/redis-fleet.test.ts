import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisBudgetStore, spendKeyPrefix } from '@llm-otel/budgets';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { build } from 'esbuild';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNode } from '../support/node-child';
import { REDIS_SERVER_AVAILABLE, type RedisServer, startRedisServer } from '../support/redis-server';
import { OPENAI_CALL_MICROS, openaiCompletion } from './support/wire';

/** Two replicas (child processes) of one service share one Redis and reach one daily limit together. */

const here = fileURLToPath(new URL('.', import.meta.url));
const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

describe.skipIf(!REDIS_SERVER_AVAILABLE)('two processes sharing one Redis', () => {
  let server: RedisServer;
  let scratch: string;
  let replica: string;
  let engineReplica: string;
  let standIn: ProviderStandIn;
  // A deployed replica: one bundled file run by plain node, the packages from their TypeScript sources.
  const bundle = (entry: string, outfile: string) =>
    build({
      entryPoints: [join(here, entry)],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      alias: { '@llm-otel/budgets': join(packages, 'budgets/src/index.ts'), '@llm-otel/instrumentation': join(packages, 'instrumentation/src/index.ts') },
    });
  beforeAll(async () => {
    server = await startRedisServer();
    standIn = await startProviderStandIn();
    scratch = mkdtempSync(join(tmpdir(), 'llm-otel-fleet-'));
    replica = join(scratch, 'replica.cjs');
    engineReplica = join(scratch, 'engine-replica.cjs');
    await Promise.all([bundle('apps/fleet-replica.ts', replica), bundle('apps/fleet-engine-replica.ts', engineReplica)]);
  });
  afterAll(async () => {
    await server?.stop();
    await standIn?.close();
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

  it('through the engine and the real openai SDK: both replicas are refused (402) once their shared spend reaches the daily hard stop', async () => {
    const route = '/oa/v1/chat/completions';
    standIn.script({ method: 'POST', path: route, respond: () => openaiCompletion(false) });
    const limitCalls = 100;
    const env = { REDIS_URL: server.url, BASE_URL: `${standIn.url}/oa/v1`, LIMIT_USD: String((limitCalls * OPENAI_CALL_MICROS) / 1e6), REPLICAS: '2' };
    const before = standIn.requests.filter((request) => request.path === route).length;
    const exits = await Promise.all([
      startNode([engineReplica], { cwd: scratch, env, timeoutMs: 90_000 }).exited,
      startNode([engineReplica], { cwd: scratch, env, timeoutMs: 90_000 }).exited,
    ]);
    const results = exits.map((exit) => {
      expect(exit.stderr).toBe('');
      const [, sent, refused] = /SENT (\d+) REFUSED (-?\d+)/.exec(exit.stdout) ?? [];
      return { sent: Number(sent), refused: Number(refused) };
    });
    const sent = results[0].sent + results[1].sent;
    // Every call sent reached the stand-in, every refused one did not, and the store has each call once.
    expect(standIn.requests.filter((request) => request.path === route).length - before).toBe(sent);
    expect(results.map((result) => result.refused)).toEqual([402, 402]);
    expect(results.every((result) => result.sent > 0 && result.sent < limitCalls)).toBe(true);
    const client = createClient({ url: server.url });
    await client.connect();
    const store = new RedisBudgetStore({ client, prefix: 'engine-fleet:' });
    let spent = 0;
    for await (const [, totals] of store.entries(spendKeyPrefix('fleet-daily'))) spent += totals.exactMicros;
    await store.close();
    await client.close();
    expect(spent).toBe(sent * OPENAI_CALL_MICROS);
    // Each replica's check reads its mirror of the shared total, refreshed at each of its adds (no
    // round trip before a call): the other replica's last calls may not be in it yet.
    expect(sent).toBeGreaterThanOrEqual(limitCalls);
    console.log(`fleet through the engine: ${sent} calls for a limit of ${limitCalls} (${results[0].sent} + ${results[1].sent})`);
    expect(sent).toBeLessThanOrEqual(limitCalls + 10);
  });
});
