import { existsSync } from 'node:fs';
import { type BudgetStore, FileBudgetStore, RedisBudgetStore } from '@llm-otel/budgets/report';
import { createClient } from 'redis';
import { UsageError } from '../verify/keys';

export interface OpenedStore {
  store: BudgetStore;
  close(): Promise<void>;
}

/** An error that names where, never a password: the URL's host and port only. */
export class StoreUnreadable extends Error {}

function redisUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--redis: not a URL (redis://host:port/db or rediss:// for TLS)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new UsageError('--redis: the URL must start with redis:// or rediss://');
  return url;
}

export function openFileStore(path: string): OpenedStore {
  // The file store creates what is missing; a report must not: a wrong path is an error, not an empty report.
  if (!existsSync(path)) throw new StoreUnreadable(`no budget file at ${path}`);
  const store = new FileBudgetStore({ path });
  return { store, close: () => store.close() };
}

export async function openRedisStore(text: string, prefix: string | undefined, env: NodeJS.ProcessEnv): Promise<OpenedStore> {
  const url = redisUrl(text);
  const where = `${url.hostname}:${url.port || '6379'}`;
  // REDISCLI_AUTH, as redis-cli reads it: a password kept out of the command line (and out of `ps`).
  const password = url.password ? undefined : env.REDISCLI_AUTH;
  // One attempt, bounded: a report must not hang on a Redis that is not there.
  const client = createClient({ url: url.href, password, socket: { connectTimeout: 5000, reconnectStrategy: false } });
  let failure: string | undefined;
  client.on('error', (error: NodeJS.ErrnoException) => (failure ??= error.code ?? error.name));
  try {
    await client.connect();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? failure ?? (error as Error).name;
    throw new StoreUnreadable(`cannot connect to Redis at ${where} (${code})`);
  }
  const store = new RedisBudgetStore({ client, prefix });
  return {
    store,
    async close() {
      await store.close();
      await client.close().catch(() => undefined);
    },
  };
}
