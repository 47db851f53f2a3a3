/**
 * The two Redis clients the Redis store runs on, as the few members it uses (structural types, so
 * neither package is a dependency of `@llm-otel/budgets`): raw commands and whether the connection
 * is ready. Every command goes through one of these two methods, so what the store sends is exactly
 * what Redis sees, whichever client the user has.
 */

/** `redis` (node-redis 4 and 5): `createClient(...)` after `await client.connect()`. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  /** node-redis: true once connected (and after a reconnect). */
  readonly isReady?: boolean;
}

/** `ioredis` 5: `new Redis(...)`. */
export interface IoRedisClientLike {
  call(command: string, ...args: string[]): Promise<unknown>;
  /** ioredis: 'ready' when commands go straight to the server. */
  readonly status?: string;
}

export type BudgetRedisClient = NodeRedisClientLike | IoRedisClientLike;

export interface RedisCommands {
  send(args: string[]): Promise<unknown>;
  /** false when the client says it is disconnected; true when it says ready or cannot say. */
  ready(): boolean;
}

function isIoRedis(client: BudgetRedisClient): client is IoRedisClientLike {
  // ioredis has a `sendCommand` too (taking its Command objects), so `call` decides first.
  return typeof (client as IoRedisClientLike).call === 'function';
}

export function redisCommands(client: BudgetRedisClient): RedisCommands {
  if (isIoRedis(client)) {
    return {
      send: ([command, ...args]) => client.call(command, ...args),
      ready: () => client.status === undefined || client.status === 'ready',
    };
  }
  if (typeof client.sendCommand !== 'function') {
    throw new TypeError('RedisBudgetStore: `client` must be a connected node-redis (`redis`) or `ioredis` client');
  }
  return {
    send: (args) => client.sendCommand(args),
    ready: () => client.isReady !== false,
  };
}
