import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSpendKey, FileBudgetStore, RedisBudgetStore, type SpendIncrement } from '@llm-otel/budgets';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER_AVAILABLE, type RedisServer, startRedisServer } from '../../../test/support/redis-server';
import { buildCli, runCli } from './cli-child';

/** `llm-otel usage` in a child process (the built, bundled CLI) against a real file store and a real redis-server. */

const END = Date.UTC(2100, 0, 1);
const SPEND: SpendIncrement[] = [
  {
    key: encodeSpendKey('daily', 'day:2026-12-01', { service: 'checkout', model: 'gpt-4o' }),
    exactMicros: 1_250_000,
    estimatedMicros: 750,
    unpricedCalls: 0,
    calls: 3,
    expiresAt: END,
  },
  {
    key: encodeSpendKey('daily', 'day:2026-12-01', { service: 'search', model: 'claude-3-5-haiku' }),
    exactMicros: 4_800,
    estimatedMicros: 0,
    unpricedCalls: 1,
    calls: 2,
    expiresAt: END,
  },
  {
    key: encodeSpendKey('daily', 'day:2026-12-02', { service: 'checkout', model: 'gpt-4o' }),
    exactMicros: 750,
    estimatedMicros: 0,
    unpricedCalls: 0,
    calls: 1,
    expiresAt: END,
  },
  // An agent name with a terminal escape: shown, not obeyed.
  {
    key: encodeSpendKey('monthly', 'month:2026-12', { agent: 'evil\u001b[31mred' }),
    exactMicros: 1,
    estimatedMicros: 0,
    unpricedCalls: 0,
    calls: 1,
    expiresAt: END,
  },
];

let scratch: string;
beforeAll(() => {
  buildCli();
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-usage-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function expectReport(stdout: string): void {
  const lines = stdout.split('\n');
  expect(lines[0].split(/\s{2,}/)).toEqual(['BUDGET', 'PERIOD', 'SCOPE', 'EXACT USD', 'ESTIMATED USD', 'TOTAL USD', 'CALLS', 'UNPRICED']);
  expect(lines[1].split(/\s{2,}/)).toEqual(['daily', 'day:2026-12-01', 'service=checkout,model=gpt-4o', '1.250000', '0.000750', '1.250750', '3', '0']);
  expect(lines[2].split(/\s{2,}/)).toEqual(['daily', 'day:2026-12-01', 'service=search,model=claude-3-5-haiku', '0.004800', '0.000000', '0.004800', '2', '1']);
  expect(lines[3].split(/\s{2,}/)).toEqual(['daily', 'day:2026-12-02', 'service=checkout,model=gpt-4o', '0.000750', '0.000000', '0.000750', '1', '0']);
  expect(lines[4]).toContain('agent=evil\\x1b[31mred');
  expect(stdout).not.toContain('\u001b');
  expect(stdout).toContain('4 rows.');
  expect(stdout).toMatch(/ESTIMATED: priced from tokens counted locally/);
  expect(stdout).toMatch(/UNPRICED: calls to models without a price/);
}

describe('llm-otel usage --file', () => {
  let file: string;
  beforeAll(async () => {
    file = join(scratch, 'budgets.json');
    const store = new FileBudgetStore({ path: file });
    for (const increment of SPEND) await store.add(increment);
    await store.close();
  });

  it('prints a table with headers, exact USD with six decimals, estimated and unpriced apart', async () => {
    const result = await runCli(['usage', '--file', file]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expectReport(result.stdout);
    // Without --file, the variable the apps read names the file.
    const fromEnv = await runCli(['usage'], { LLM_OTEL_BUDGET_FILE: file });
    expect(fromEnv.stdout).toBe(result.stdout);
  });

  it('--json with filters by period and scope: micro-dollars as integers, USD as exact strings', async () => {
    const result = await runCli(['usage', '--file', file, '--json', '--period', 'day:2026-12-01', '--scope', 'service=checkout']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      rows: [
        {
          budget: 'daily',
          period: 'day:2026-12-01',
          scope: { service: 'checkout', model: 'gpt-4o' },
          exactMicros: 1_250_000,
          estimatedMicros: 750,
          totalMicros: 1_250_750,
          exactUsd: '1.250000',
          estimatedUsd: '0.000750',
          totalUsd: '1.250750',
          calls: 3,
          unpricedCalls: 0,
        },
      ],
      unreadableKeys: 0,
    });
    const months = await runCli(['usage', '--file', file, '--json', '--period', 'month']);
    expect(JSON.parse(months.stdout).rows.map((row: { budget: string }) => row.budget)).toEqual(['monthly']);
    const none = await runCli(['usage', '--file', file, '--budget', 'nope']);
    expect([none.status, none.stdout]).toEqual([0, 'No spend recorded.\n']);
  });

  it('bad input: a missing file, a damaged one, an unknown scope key, no store named', async () => {
    const missing = await runCli(['usage', '--file', join(scratch, 'absent.json')]);
    expect([missing.status, missing.stderr]).toEqual([1, `llm-otel usage: no budget file at ${join(scratch, 'absent.json')}\n`]);
    const damaged = join(scratch, 'damaged.json');
    writeFileSync(damaged, '{"version": 1, "spend": ');
    const read = await runCli(['usage', '--file', damaged]);
    // The apps read a damaged file as empty (and say so); a report from it would be a wrong zero.
    expect([read.status, read.stdout]).toEqual([1, '']);
    expect(read.stderr).toMatch(/^llm-otel usage: llm-otel: the budget file is not JSON/);
    const scope = await runCli(['usage', '--file', damaged, '--scope', 'tenant=a']);
    expect(scope.status).toBe(2);
    expect(scope.stderr).toMatch(/--scope: expected KEY=VALUE with KEY one of service, provider, model/);
    const neither = await runCli(['usage']);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/--file PATH or --redis URL/);
  });
});

describe.skipIf(!REDIS_SERVER_AVAILABLE)('llm-otel usage --redis', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
    const client = createClient({ url: server.url });
    await client.connect();
    const store = new RedisBudgetStore({ client, prefix: 'team-a:' });
    for (const increment of SPEND) await store.add(increment);
    // Another app's keys under another prefix stay out of the report.
    await new RedisBudgetStore({ client, prefix: 'team-b:' }).add(SPEND[0]);
    await store.close();
    await client.close();
  });
  afterAll(async () => server?.stop());

  it("reads the same report from Redis under the apps' prefix", async () => {
    const result = await runCli(['usage', '--redis', server.url, '--prefix', 'team-a:']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expectReport(result.stdout);
  });

  it('a server with a password: REDISCLI_AUTH authenticates, as for redis-cli; a wrong one is exit 1 without echoing it', async () => {
    const locked = await startRedisServer({ password: 'p4ss-word' });
    try {
      const client = createClient({ url: locked.url, password: 'p4ss-word' });
      await client.connect();
      await new RedisBudgetStore({ client }).add(SPEND[2]);
      await client.close();
      const result = await runCli(['usage', '--redis', locked.url, '--json'], { REDISCLI_AUTH: 'p4ss-word' });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).rows).toHaveLength(1);
      const wrong = await runCli(['usage', '--redis', locked.url], { REDISCLI_AUTH: 'wr0ng-word' });
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/^llm-otel usage: cannot connect to Redis at 127\.0\.0\.1:\d+ \(\w+\)\n$/);
      expect(wrong.stderr).not.toContain('wr0ng');
    } finally {
      await locked.stop();
    }
  });

  it('an unreachable Redis is exit 1 within the connect timeout, naming host and port, never the password', async () => {
    await server.kill();
    const result = await runCli(['usage', '--redis', `redis://reader:s3cret-pw@127.0.0.1:${server.port}/0`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`llm-otel usage: cannot connect to Redis at 127.0.0.1:${server.port} (ECONNREFUSED)\n`);
    expect(result.stderr + result.stdout).not.toContain('s3cret');
    const badUrl = await runCli(['usage', '--redis', 'http://s3cret@example']);
    expect(badUrl.status).toBe(2);
    expect(badUrl.stderr).not.toContain('s3cret');
  });
});
