import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { resolveAudit, warnIfSamplerDropsCalls } from '../src/audit-settings';
import { setupTelemetry } from '../src';

const KEY = 'an audit key for the set-up tests, 32 bytes at least';

function collect(): { warn: (message: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (message) => void lines.push(message), lines };
}

describe('the audit option and the LLM_OTEL_AUDIT_* variables', () => {
  it('a short key in code throws at set-up, without echoing it', () => {
    expect(() => setupTelemetry({ audit: { key: 'short-key-in-code' }, handleSignals: false })).toThrow(/at least 32/);
    expect(() => setupTelemetry({ audit: { key: 'short-key-in-code' }, handleSignals: false })).not.toThrow(/short-key-in-code/);
  });

  it('the option wins over the environment; audit: false turns an environment key off', () => {
    const env = { LLM_OTEL_AUDIT_KEY: KEY, LLM_OTEL_AUDIT_KEY_ID: 'from-env' };
    expect(resolveAudit({ key: KEY, keyId: 'from-code' }, env, collect().warn).chain?.keyId).toBe('from-code');
    expect(resolveAudit(false, env, collect().warn)).toEqual({ resourceAttributes: {} });
    expect(resolveAudit(undefined, env, collect().warn).chain?.keyId).toBe('from-env');
    expect(resolveAudit(undefined, {}, collect().warn)).toEqual({ resourceAttributes: {} });
  });

  it('an unusable key from the environment: the chain is visibly off (a warning and a resource attribute), the key never quoted', () => {
    const cases = [
      [{ LLM_OTEL_AUDIT_KEY: 'env-secret-short' }, 'LLM_OTEL_AUDIT_KEY: the key is 16 bytes; at least 32 are needed'],
      [{ LLM_OTEL_AUDIT_KEY_FILE: '/nonexistent/audit.key' }, 'LLM_OTEL_AUDIT_KEY_FILE: the key file cannot be read (ENOENT)'],
      [
        { LLM_OTEL_AUDIT_KEY: KEY, LLM_OTEL_AUDIT_KEY_ID: 'a key id with spaces' },
        'LLM_OTEL_AUDIT_KEY: the key id must be 1-64 characters of A-Z a-z 0-9 . _ : -',
      ],
    ] as const;
    for (const [env, reason] of cases) {
      const { warn, lines } = collect();
      const settings = resolveAudit(undefined, env, warn);
      expect(settings.chain).toBeUndefined();
      expect(settings.resourceAttributes).toEqual({ 'llm_otel.chain.off_reason': reason });
      expect(lines).toEqual([`llm-otel: ${reason}; the integrity chain is OFF (spans are exported without chain links)`]);
      expect(lines.join()).not.toContain('env-secret-short');
      expect(lines.join()).not.toContain(KEY);
    }
  });

  it('warns when the sampler drops calls; always-on and parent-based always-on are quiet', () => {
    for (const sampler of [new AlwaysOnSampler(), new ParentBasedSampler({ root: new AlwaysOnSampler() })]) {
      const { warn, lines } = collect();
      warnIfSamplerDropsCalls(sampler, warn);
      expect(lines).toEqual([]);
    }
    for (const sampler of [new TraceIdRatioBasedSampler(0.1), new AlwaysOffSampler(), new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) })]) {
      const { warn, lines } = collect();
      warnIfSamplerDropsCalls(sampler, warn);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/sampled-out calls are not in the audit record/);
    }
  });
});
