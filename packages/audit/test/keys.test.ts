import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainKey, loadKeyFile, loadKeyFromEnv } from '../src';

const GOOD = 'g'.repeat(32);

describe('chain keys', () => {
  it('from options: a short key or a bad key id throws, without echoing the key', () => {
    expect(() => chainKey('secret-but-short', 'k1')).toThrow('the key is 16 bytes; at least 32 are needed');
    expect(() => chainKey('secret-but-short', 'k1')).not.toThrow(/secret-but-short/);
    expect(() => chainKey(GOOD, 'has space')).toThrow(/key id/);
    expect(chainKey(GOOD, 'k1').keyId).toBe('k1');
  });

  it('from the environment: nothing set is undefined; a bad value is a reason, never an exception', () => {
    expect(loadKeyFromEnv({})).toBeUndefined();
    const short = loadKeyFromEnv({ LLM_OTEL_AUDIT_KEY: 'short-secret' });
    expect(short).toEqual({ ok: false, reason: 'the key is 12 bytes; at least 32 are needed', source: 'LLM_OTEL_AUDIT_KEY' });
    expect(JSON.stringify(short)).not.toContain('short-secret');
    const good = loadKeyFromEnv({ LLM_OTEL_AUDIT_KEY: GOOD, LLM_OTEL_AUDIT_KEY_ID: 'k-2026' });
    expect(good).toMatchObject({ ok: true, key: { keyId: 'k-2026' } });
  });

  it('from a key file: a trailing newline is not part of the key; a missing file is a reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const path = join(dir, 'key');
    writeFileSync(path, `${'k'.repeat(31)}\n`);
    expect(loadKeyFile(path)).toMatchObject({ ok: false, reason: 'the key is 31 bytes; at least 32 are needed' });
    writeFileSync(path, `${GOOD}\r\n`);
    expect(loadKeyFile(path, 'k1')).toMatchObject({ ok: true, key: { keyId: 'k1' } });
    expect(loadKeyFile(join(dir, 'absent'))).toEqual({ ok: false, reason: 'the key file cannot be read (ENOENT)', source: join(dir, 'absent') });
    expect(loadKeyFromEnv({ LLM_OTEL_AUDIT_KEY_FILE: path })).toMatchObject({ ok: true, source: 'LLM_OTEL_AUDIT_KEY_FILE' });
  });
});

describe('a loaded key signs with its own key id', () => {
  it('IntegrityChain accepts what loadKeyFromEnv returns', async () => {
    const { IntegrityChain } = await import('../src');
    const loaded = loadKeyFromEnv({ LLM_OTEL_AUDIT_KEY: GOOD, LLM_OTEL_AUDIT_KEY_ID: 'from-env' });
    if (!loaded?.ok) throw new Error('expected a key');
    expect(new IntegrityChain({ key: loaded.key }).keyId).toBe('from-env');
  });
});
