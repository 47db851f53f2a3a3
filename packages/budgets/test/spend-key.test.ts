import { describe, expect, it } from 'vitest';
import { decodeSpendKey, encodeSpendKey, spendKeyPrefix } from '../src/store/spend-key';

describe('spend keys', () => {
  it('round-trip budget, period and scope, whatever characters they hold', () => {
    const scope = { service: 'api|x', model: 'gpt,4o=mini', user: 'u%2C' };
    const key = encodeSpendKey('team|a,b=c', 'day:2026-12-01', scope);
    expect(decodeSpendKey(key)).toEqual({ budget: 'team|a,b=c', period: 'day:2026-12-01', scope });
    expect(key.startsWith(spendKeyPrefix('team|a,b=c', 'day:2026-12-01'))).toBe(true);
  });

  it('a value cannot forge another scope', () => {
    const forged = encodeSpendKey('b', 'month:2026-12', { service: 'a,user=bob' });
    expect(decodeSpendKey(forged)?.scope).toEqual({ service: 'a,user=bob' });
  });

  it('returns undefined for foreign or malformed keys', () => {
    expect(decodeSpendKey('other:key')).toBeUndefined();
    expect(decodeSpendKey('llm-otel:budget:v1:a|b')).toBeUndefined();
    expect(decodeSpendKey('llm-otel:budget:v1:a|b|nope=1')).toBeUndefined();
    expect(decodeSpendKey('llm-otel:budget:v1:%E0%A4%A|b|')).toBeUndefined();
  });
});
