import { createHash } from 'node:crypto';
import type { SpendTotals } from './budget-store';

/**
 * One period key is one Redis hash: `exact`, `estimated`, `unpriced`, `calls` (integers, HINCRBY is
 * exact to 2^63) and one `seq:<writer>` field per store instance that wrote to it.
 *
 * The add is a Lua script, so the four increments, the writer's sequence number and the expiry are
 * one atomic step that every replica sees whole. The sequence number makes a resend harmless: after
 * a timeout or a dropped connection the store cannot know whether Redis applied the add, so it
 * sends the same add again with the same number, and the script applies it only if that writer's
 * last applied number is lower (a writer sends the adds of one key in order, one at a time).
 */
export const TOTAL_FIELDS = ['exact', 'estimated', 'unpriced', 'calls'] as const;

export const ADD_SCRIPT = `
local last = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > last then
  redis.call('HINCRBY', KEYS[1], 'exact', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'estimated', ARGV[4])
  redis.call('HINCRBY', KEYS[1], 'unpriced', ARGV[5])
  redis.call('HINCRBY', KEYS[1], 'calls', ARGV[6])
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[7])
end
return redis.call('HMGET', KEYS[1], 'exact', 'estimated', 'unpriced', 'calls')
`;

export const ADD_SCRIPT_SHA = createHash('sha1').update(ADD_SCRIPT).digest('hex');

function integer(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (value instanceof Uint8Array) return integer(Buffer.from(value).toString('latin1'));
  return 0; // a missing field (null) is zero
}

/** The reply of HMGET (and of the script): four integers as strings, or nulls for a missing key. */
export function totalsFromReply(reply: unknown): SpendTotals {
  const fields = Array.isArray(reply) ? reply : [];
  return { exactMicros: integer(fields[0]), estimatedMicros: integer(fields[1]), unpricedCalls: integer(fields[2]), calls: integer(fields[3]) };
}

/** Whether HMGET found anything (a key that expired between SCAN and HMGET reads as all nulls). */
export function replyHasTotals(reply: unknown): boolean {
  return Array.isArray(reply) && reply.some((field) => field !== null && field !== undefined);
}

/** A SCAN MATCH pattern that matches `prefix` literally, then anything. */
export function scanPatternFor(prefix: string): string {
  return `${prefix.replace(/[\\*?[\]]/g, (char) => `\\${char}`)}*`;
}
