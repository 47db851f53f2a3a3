import { randomBytes } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import { type BudgetStore, emptyTotals, type SpendIncrement, type SpendTotals } from './budget-store';
import type { FailClosedStore } from './store-availability';
import { type BudgetRedisClient, type RedisCommands, redisCommands } from './redis-client';
import { ADD_SCRIPT, ADD_SCRIPT_SHA, replyHasTotals, scanPatternFor, TOTAL_FIELDS, totalsFromReply } from './redis-script';

export type { BudgetRedisClient, IoRedisClientLike, NodeRedisClientLike } from './redis-client';

/** What the store tells about Redis going away and coming back (the seam for budgets alerts). */
export interface RedisStoreAvailability {
  state: 'unavailable' | 'recovered';
  /** The error's code or name only (`ECONNREFUSED`, `TimeoutError`): never its message. */
  reason?: string;
  /** Keys whose spend is held in memory, to be added when Redis is back. */
  pendingKeys: number;
  /** Increments dropped because `maxPendingKeys` keys were already held (since the store was made). */
  droppedIncrements: number;
}

export interface RedisStoreStats extends Omit<RedisStoreAvailability, 'state' | 'reason'> {
  available: boolean;
  droppedMicros: number;
  outages: number;
}

export interface RedisBudgetStoreOptions {
  /** A connected node-redis (`redis` 4/5) or `ioredis` 5 client on one server (not a cluster or pool). The store never closes it. */
  client: BudgetRedisClient;
  /** Prepended to every key, e.g. `'team-a:'` when several apps share a database. Default `''`. */
  prefix?: string;
  /**
   * With Redis unreachable, `get` rejects (`RedisStoreUnavailableError`) instead of answering from
   * what this process knows, so a hard stop refuses calls. Default false: calls proceed.
   */
  failClosed?: boolean;
  /** Bound on the keys whose spend waits in memory while Redis is away. Default 10,000. */
  maxPendingKeys?: number;
  /** A command not answered in this time counts as Redis unreachable. Default 2,000 ms. */
  commandTimeoutMs?: number;
  /** How often to look for Redis once it is unreachable. Default 500 ms. */
  retryIntervalMs?: number;
  /** Kept this long after `expiresAt` (the end of the period), for usage reports of past periods. Default 35 days. */
  retainMs?: number;
  /** Called when Redis becomes unreachable and when it is back; must not throw (errors are swallowed). */
  onAvailabilityChange?: (event: RedisStoreAvailability) => void;
}

/** Last month's spend stays readable through this month (`llm-otel usage --period month:…`). */
const RETAIN_DEFAULT_MS = 35 * 24 * 60 * 60 * 1000;

export class RedisStoreUnavailableError extends Error {
  constructor(reason: string | undefined) {
    super(`Redis budget store unavailable${reason ? ` (${reason})` : ''}; failClosed is set`);
    this.name = 'RedisStoreUnavailableError';
  }
}

/** Spend of one key not yet in Redis. `seq` is fixed once it was sent: a resend reuses it. */
interface Batch {
  seq?: number;
  totals: SpendTotals;
  expiresAt: number;
  waiters: ((totals: SpendTotals) => void)[];
}

/** Per key, at most one add in flight; later adds merge into `next` meanwhile (so a hot key costs one round trip at a time). */
interface KeyQueue {
  sending?: Batch;
  inFlight: boolean;
  next?: Batch;
}

function addInto(target: SpendTotals, source: SpendTotals): void {
  target.exactMicros += source.exactMicros;
  target.estimatedMicros += source.estimatedMicros;
  target.unpricedCalls += source.unpricedCalls;
  target.calls += source.calls;
}

function errorReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,40}$/.test(name) ? name : 'Error';
}

class CommandTimeout extends Error {
  override name = 'TimeoutError';
}

function checkIncrement(increment: SpendIncrement): void {
  for (const field of ['exactMicros', 'estimatedMicros', 'unpricedCalls', 'calls', 'expiresAt'] as const) {
    const value = increment[field];
    if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`RedisBudgetStore.add: ${field} must be a non-negative safe integer`);
  }
}

/**
 * A `BudgetStore` in Redis, shared by every replica: one hash per key, added to by a Lua script
 * (see redis-script.ts), expiring at the end of its period. Fails open: while Redis is unreachable
 * adds are held in memory (per key, merged, at most `maxPendingKeys` keys; drops counted) and sent
 * when it is back; each held add is sent with the sequence number of its first attempt, so an add
 * that reached Redis before the connection broke is not counted twice.
 */
export class RedisBudgetStore implements FailClosedStore {
  readonly kind = 'redis';
  private readonly commands: RedisCommands;
  private readonly prefix: string;
  private readonly options: Required<Omit<RedisBudgetStoreOptions, 'client' | 'onAvailabilityChange' | 'prefix'>>;
  private readonly onAvailabilityChange?: (event: RedisStoreAvailability) => void;
  /** This instance's field in each hash: random, so replicas and restarts never share one. */
  private readonly seqField = `seq:${randomBytes(9).toString('base64url')}`;
  private seq = 0;
  private readonly queues = new Map<string, KeyQueue>();
  /** The totals Redis last answered per key: what `get` and `add` answer from while it is away. */
  private readonly lastKnown = new Map<string, SpendTotals>();
  private available = true;
  private lastReason: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private droppedIncrements = 0;
  private droppedMicros = 0;
  private outages = 0;

  constructor(options: RedisBudgetStoreOptions) {
    this.commands = redisCommands(options.client);
    this.prefix = options.prefix ?? '';
    this.onAvailabilityChange = options.onAvailabilityChange;
    this.options = {
      failClosed: options.failClosed ?? false,
      maxPendingKeys: options.maxPendingKeys ?? 10_000,
      commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
      retryIntervalMs: options.retryIntervalMs ?? 500,
      retainMs: options.retainMs ?? RETAIN_DEFAULT_MS,
    };
    for (const name of ['maxPendingKeys', 'commandTimeoutMs', 'retryIntervalMs'] as const) {
      if (!Number.isSafeInteger(this.options[name]) || this.options[name] <= 0) throw new TypeError(`RedisBudgetStore: ${name} must be a positive integer`);
    }
  }

  stats(): RedisStoreStats {
    return {
      available: this.available,
      pendingKeys: this.queues.size,
      droppedIncrements: this.droppedIncrements,
      droppedMicros: this.droppedMicros,
      outages: this.outages,
    };
  }

  /**
   * With `failClosed`: true while Redis is unreachable, as far as this store saw it fail or the client
   * says it is disconnected (so the first call after Redis went away is refused too). Hard stops refuse then.
   */
  refusesCalls(): boolean {
    return this.options.failClosed && (!this.available || !this.commands.ready());
  }

  add(increment: SpendIncrement): Promise<SpendTotals> {
    checkIncrement(increment);
    const key = this.prefix + increment.key;
    let queue = this.queues.get(key);
    if (!queue) {
      if (this.queues.size >= this.options.maxPendingKeys) {
        if (this.droppedIncrements === 0)
          diag.error(
            `llm-otel budgets: Redis store holds ${this.options.maxPendingKeys} keys (maxPendingKeys) and drops the spend of further ones; stats() counts the drops`,
          );
        this.droppedIncrements++;
        this.droppedMicros += increment.exactMicros + increment.estimatedMicros;
        return Promise.resolve(this.estimate(key));
      }
      queue = { inFlight: false };
      this.queues.set(key, queue);
    }
    const batch = (queue.next ??= { totals: emptyTotals(), expiresAt: 0, waiters: [] });
    addInto(batch.totals, increment);
    batch.expiresAt = Math.max(batch.expiresAt, increment.expiresAt + this.options.retainMs);
    if (!this.available) return Promise.resolve(this.estimate(key));
    const answered = new Promise<SpendTotals>((resolve) => batch.waiters.push(resolve));
    this.drive(key, queue);
    return answered;
  }

  async get(keys: readonly string[]): Promise<Map<string, SpendTotals>> {
    const result = new Map<string, SpendTotals>();
    if (this.available) {
      try {
        const replies = await Promise.all(keys.map((key) => this.send(['HMGET', this.prefix + key, ...TOTAL_FIELDS])));
        keys.forEach((key, index) => {
          const totals = totalsFromReply(replies[index]);
          const queued = this.queues.get(this.prefix + key)?.next;
          if (queued) addInto(totals, queued.totals); // this process's adds not sent yet
          if (queued || replyHasTotals(replies[index])) result.set(key, totals);
        });
        return result;
      } catch (error) {
        this.becameUnavailable(error);
      }
    }
    if (this.options.failClosed) throw new RedisStoreUnavailableError(this.lastReason);
    for (const key of keys) {
      const storeKey = this.prefix + key;
      if (this.lastKnown.has(storeKey) || this.queues.has(storeKey)) result.set(key, this.estimate(storeKey));
    }
    return result;
  }

  /** SCAN (never KEYS: it would block every replica's Redis on a large database), then HMGET per page. */
  async *entries(prefix = ''): AsyncIterable<[key: string, totals: SpendTotals]> {
    const match = scanPatternFor(this.prefix + prefix);
    const seen = new Set<string>(); // SCAN may return a key twice
    let cursor = '0';
    do {
      const reply = await this.send(['SCAN', cursor, 'MATCH', match, 'COUNT', '500']);
      const [nextCursor, keys] = Array.isArray(reply) ? reply : ['0', []];
      cursor = String(nextCursor);
      const fresh = (Array.isArray(keys) ? keys : []).map(String).filter((key) => key.startsWith(this.prefix + prefix) && !seen.has(key));
      const totals = await Promise.all(fresh.map((key) => this.send(['HMGET', key, ...TOTAL_FIELDS])));
      for (let index = 0; index < fresh.length; index++) {
        seen.add(fresh[index]);
        if (replyHasTotals(totals[index])) yield [fresh[index].slice(this.prefix.length), totalsFromReply(totals[index])];
      }
    } while (cursor !== '0');
  }

  /** Sends what is held for at most `commandTimeoutMs` more; what is still held then is reported and dropped. The client stays open (it is the caller's). */
  async close(): Promise<void> {
    if (this.closed) return;
    const deadline = Date.now() + this.options.commandTimeoutMs;
    while (this.queues.size > 0 && this.available && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    this.closed = true;
    clearTimeout(this.retryTimer);
    if (this.queues.size > 0) diag.error(`llm-otel budgets: Redis store closed with the spend of ${this.queues.size} keys not written (Redis unreachable)`);
  }

  private estimate(key: string): SpendTotals {
    const totals = { ...(this.lastKnown.get(key) ?? emptyTotals()) };
    const queue = this.queues.get(key);
    if (queue?.sending) addInto(totals, queue.sending.totals);
    if (queue?.next) addInto(totals, queue.next.totals);
    return totals;
  }

  private remember(key: string, totals: SpendTotals): void {
    this.lastKnown.delete(key);
    if (this.lastKnown.size >= this.options.maxPendingKeys) this.lastKnown.delete(this.lastKnown.keys().next().value as string);
    this.lastKnown.set(key, totals);
  }

  /** One add per key at a time, in order: the sequence numbers of a key then only grow in Redis. */
  private drive(key: string, queue: KeyQueue): void {
    // Not stopped by close(): an add that comes after it is still sent while the client is open.
    if (!this.available || queue.inFlight) return;
    if (!queue.sending && queue.next) {
      queue.sending = queue.next;
      queue.next = undefined;
    }
    const batch = queue.sending;
    if (!batch) {
      this.queues.delete(key);
      return;
    }
    batch.seq ??= ++this.seq;
    queue.inFlight = true;
    const { totals, expiresAt } = batch;
    const args = [
      key,
      this.seqField,
      String(batch.seq),
      String(totals.exactMicros),
      String(totals.estimatedMicros),
      String(totals.unpricedCalls),
      String(totals.calls),
      String(expiresAt),
    ];
    this.runScript(args).then(
      (reply) => {
        queue.inFlight = false;
        queue.sending = undefined;
        const after = totalsFromReply(reply);
        this.remember(key, after);
        for (const resolve of batch.waiters.splice(0)) resolve(after);
        this.drive(key, queue);
      },
      (error: unknown) => {
        queue.inFlight = false; // `sending` stays, with its seq: resent as it is when Redis is back
        this.becameUnavailable(error);
      },
    );
  }

  private async runScript(args: string[]): Promise<unknown> {
    try {
      return await this.send(['EVALSHA', ADD_SCRIPT_SHA, '1', ...args]);
    } catch (error) {
      // A restarted (or flushed) Redis has forgotten the script: send it whole once.
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.send(['EVAL', ADD_SCRIPT, '1', ...args]);
    }
  }

  private send(args: string[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CommandTimeout()), this.options.commandTimeoutMs);
      timer.unref();
      this.commands.send(args).then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private becameUnavailable(error: unknown): void {
    const wasAvailable = this.available;
    this.available = false;
    this.lastReason = errorReason(error);
    // Callers waiting on an add get what this process knows now, instead of waiting out the outage.
    for (const [key, queue] of this.queues) {
      for (const batch of [queue.sending, queue.next]) {
        if (batch?.waiters.length) {
          const estimate = this.estimate(key);
          for (const resolve of batch.waiters.splice(0)) resolve(estimate);
        }
      }
    }
    if (wasAvailable) {
      this.outages++;
      diag.warn(
        `llm-otel budgets: Redis store unreachable (${this.lastReason}); calls proceed${this.options.failClosed ? ' except where a hard stop needs the store (failClosed)' : ''}, spend is held in memory (at most ${this.options.maxPendingKeys} keys) and added when Redis is back`,
      );
      this.notify('unavailable');
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retry();
    }, this.options.retryIntervalMs);
    this.retryTimer.unref();
  }

  private retry(): void {
    // A client that knows it is disconnected would only queue the PING offline (node-redis does): wait.
    if (!this.commands.ready()) {
      this.scheduleRetry();
      return;
    }
    this.send(['PING']).then(
      () => {
        if (this.available || this.closed) return;
        this.available = true;
        diag.info(`llm-otel budgets: Redis store reachable again; adding the spend of ${this.queues.size} keys held meanwhile`);
        this.notify('recovered');
        for (const [key, queue] of this.queues) this.drive(key, queue);
      },
      () => this.scheduleRetry(),
    );
  }

  private notify(state: RedisStoreAvailability['state']): void {
    if (!this.onAvailabilityChange) return;
    try {
      this.onAvailabilityChange({
        state,
        reason: state === 'unavailable' ? this.lastReason : undefined,
        pendingKeys: this.queues.size,
        droppedIncrements: this.droppedIncrements,
      });
    } catch {
      // a listener's failure must not stop accounting
    }
  }
}
