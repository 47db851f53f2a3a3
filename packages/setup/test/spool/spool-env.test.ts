import { DiagLogLevel, diag } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { readSpoolEnv } from '../../src/spool/spool-env';

describe('readSpoolEnv', () => {
  it('is undefined when no spool variable is set (empty counts as unset)', () => {
    expect(readSpoolEnv({})).toBeUndefined();
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_DIR: '  ' })).toBeUndefined();
  });

  it('reads dir, bytes with or without a unit, and age', () => {
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_DIR: '/var/spool/app', LLM_OTEL_SPOOL_MAX_BYTES: '256MiB', LLM_OTEL_SPOOL_MAX_AGE_MS: '3600000' })).toEqual({
      dir: '/var/spool/app',
      maxBytes: 256 * 1024 * 1024,
      maxAgeMillis: 3_600_000,
    });
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '1000' })).toEqual({ maxBytes: 1000 });
    expect(readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '2 GB' })).toEqual({ maxBytes: 2e9 });
  });

  it('warns about a bad value, naming the variable, and falls back to the default instead of throwing', () => {
    const warnings: string[] = [];
    diag.setLogger({ ...silent, warn: (message: string) => warnings.push(message) }, DiagLogLevel.WARN);
    try {
      const bad = [
        ['LLM_OTEL_SPOOL_MAX_BYTES', '-5'],
        ['LLM_OTEL_SPOOL_MAX_BYTES', '10 parsecs'],
        ['LLM_OTEL_SPOOL_MAX_BYTES', '0'],
        ['LLM_OTEL_SPOOL_MAX_AGE_MS', '48h'],
        ['LLM_OTEL_SPOOL_MAX_AGE_MS', '1.5'],
      ];
      for (const [name, value] of bad) {
        expect(readSpoolEnv({ LLM_OTEL_SPOOL_DIR: '/var/spool/app', [name]: value })).toEqual({ dir: '/var/spool/app' });
      }
      expect(warnings).toHaveLength(bad.length);
      bad.forEach(([name, value], i) => {
        expect(warnings[i]).toContain(`${name} must be`);
        expect(warnings[i]).toContain(`"${value}"`);
      });
    } finally {
      diag.disable();
    }
  });
});

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined };
