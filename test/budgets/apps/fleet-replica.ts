import { RedisBudgetStore } from '@llm-otel/budgets';
import { createClient } from 'redis';

/**
 * One replica of a service in the two-process test: spends COST_MICROS per call on one shared daily
 * key until the shared total says the daily limit is reached. Prints `CALLS <n>` (its own calls) at the end.
 */
const { REDIS_URL = '', LIMIT_MICROS = '0', COST_MICROS = '0', REPLICAS = '2' } = process.env;
const limit = Number(LIMIT_MICROS);
const cost = Number(COST_MICROS);
const key = 'llm-otel:budget:v1:daily|day:2026-12-01|service=checkout';

async function main(): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  const store = new RedisBudgetStore({ client, prefix: 'fleet:' });
  // Start together: each replica waits until all have arrived, so their calls interleave.
  await client.incr('fleet:barrier');
  while (Number(await client.get('fleet:barrier')) < Number(REPLICAS)) await new Promise((resolve) => setTimeout(resolve, 5));
  let calls = 0;
  for (;;) {
    // The check before a call, as a hard stop makes it: spend so far (every replica's) plus this call.
    const spent = (await store.get([key])).get(key)?.exactMicros ?? 0;
    if (spent + cost > limit) break;
    calls++;
    await store.add({ key, exactMicros: cost, estimatedMicros: 0, unpricedCalls: 0, calls: 1, expiresAt: Date.UTC(2026, 11, 2) });
  }
  await store.close();
  await client.close();
  console.log(`CALLS ${calls}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
