import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { resolveFingerprintKey, resolveOwnKeys, resolvePseudonyms } from '../src/own-keys';

const KEY = 'a pseudonym key for the set-up tests, 32 bytes or more';
const AUDIT_KEY = 'an audit key for the set-up tests, 32 bytes at least';

function collect(): { warn: (message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (message) => void lines.push(message), lines };
}

describe('the pseudonyms option and the LLM_OTEL_PSEUDONYM_* variables', () => {
  it('the option wins; pseudonyms: false turns an environment key off; none set: no key', () => {
    const env = { LLM_OTEL_PSEUDONYM_KEY: `${KEY}-env`, LLM_OTEL_PSEUDONYM_KEY_ID: 'env-id' };
    expect(resolvePseudonyms({ key: KEY, keyId: 'code' }, undefined, env, collect().warn)).toEqual({ key: KEY, keyId: 'code' });
    expect(resolvePseudonyms(false, undefined, env, collect().warn)).toBeUndefined();
    expect(resolvePseudonyms(undefined, undefined, env, collect().warn)).toEqual({ key: Buffer.from(`${KEY}-env`), keyId: 'env-id' });
    expect(resolvePseudonyms(undefined, undefined, {}, collect().warn)).toBeUndefined();
  });

  it('a key file, without its trailing line break', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llm-otel-pseudonym-')), 'key');
    fs.writeFileSync(file, `${KEY}\n`);
    expect(resolvePseudonyms(undefined, undefined, { LLM_OTEL_PSEUDONYM_KEY_FILE: file }, collect().warn)).toEqual({ key: Buffer.from(KEY), keyId: 'default' });
  });

  it('in code, a short key or the audit key throws, without echoing the key', () => {
    expect(() => resolvePseudonyms({ key: 'short-pseudonym-key' }, undefined, {}, collect().warn)).toThrow(/19 bytes; at least 32/);
    expect(() => resolvePseudonyms({ key: 'short-pseudonym-key' }, undefined, {}, collect().warn)).not.toThrow(/short-pseudonym-key/);
    expect(() => resolvePseudonyms({ key: AUDIT_KEY }, { key: AUDIT_KEY }, {}, collect().warn)).toThrow(/is the audit key/);
    expect(() => resolvePseudonyms({ key: AUDIT_KEY }, undefined, { LLM_OTEL_AUDIT_KEY: AUDIT_KEY }, collect().warn)).toThrow(/is the audit key/);
    expect(() => new LlmSpanProcessor(new InMemorySpanExporter(), { pseudonyms: { key: AUDIT_KEY }, audit: { key: Buffer.from(AUDIT_KEY) } })).toThrow(
      /is the audit key/,
    );
    expect(() => new LlmSpanProcessor(new BatchSpanProcessor(new InMemorySpanExporter()), { pseudonyms: { key: 'short' } })).toThrow(/at least 32/);
  });

  it('from the environment, an unusable key warns and is not used (ids become <USER>), never quoted', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ LLM_OTEL_PSEUDONYM_KEY: 'env-pseudonym-short' }, 'LLM_OTEL_PSEUDONYM_KEY: the pseudonym key is 19 bytes; at least 32 are needed'],
      [{ LLM_OTEL_PSEUDONYM_KEY_FILE: '/nonexistent/pseudonym.key' }, 'LLM_OTEL_PSEUDONYM_KEY_FILE: the key file cannot be read (ENOENT)'],
      [{ LLM_OTEL_PSEUDONYM_KEY: AUDIT_KEY, LLM_OTEL_AUDIT_KEY: AUDIT_KEY }, 'LLM_OTEL_PSEUDONYM_KEY: the pseudonym key is the audit key'],
      [{ LLM_OTEL_PSEUDONYM_KEY: KEY, LLM_OTEL_PSEUDONYM_KEY_ID: 'bad id!' }, 'key id must be'],
    ];
    for (const [env, expected] of cases) {
      const { warn, lines } = collect();
      expect(resolvePseudonyms(undefined, undefined, env, warn)).toBeUndefined();
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(expected);
      expect(lines[0]).toContain('<USER>');
      expect(lines[0]).not.toContain('env-pseudonym-short');
      expect(lines[0]).not.toContain(AUDIT_KEY);
    }
  });
});

describe('the fingerprint option and the LLM_OTEL_FINGERPRINT_* variables', () => {
  const FINGERPRINT_KEY = 'a fingerprint key for the set-up tests, 32 bytes or more';

  it('loaded like the pseudonym key; neither the audit nor the pseudonym key', () => {
    expect(resolveOwnKeys({}, { LLM_OTEL_FINGERPRINT_KEY: FINGERPRINT_KEY, LLM_OTEL_FINGERPRINT_KEY_ID: 'fp1' }, collect().warn).fingerprint).toEqual({
      key: Buffer.from(FINGERPRINT_KEY),
      keyId: 'fp1',
    });
    expect(resolveFingerprintKey(false, undefined, undefined, { LLM_OTEL_FINGERPRINT_KEY: FINGERPRINT_KEY }, collect().warn)).toBeUndefined();
    expect(() => resolveOwnKeys({ pseudonyms: { key: KEY }, fingerprint: { key: KEY } }, {}, collect().warn)).toThrow(/fingerprint key is the pseudonym key/);
    expect(() => resolveOwnKeys({ audit: { key: AUDIT_KEY }, fingerprint: { key: AUDIT_KEY } }, {}, collect().warn)).toThrow(
      /fingerprint key is the audit key/,
    );
    const { warn, lines } = collect();
    expect(resolveOwnKeys({}, { LLM_OTEL_PSEUDONYM_KEY: KEY, LLM_OTEL_FINGERPRINT_KEY: KEY }, warn)).toEqual({
      pseudonyms: { key: Buffer.from(KEY), keyId: 'default' },
      fingerprint: undefined,
    });
    expect(lines).toEqual([
      'llm-otel: LLM_OTEL_FINGERPRINT_KEY: the fingerprint key is the pseudonym key; give each its own key; request fingerprints are plain SHA-256 (llm_otel.request.fingerprint_algorithm=sha256)',
    ]);
  });
});
