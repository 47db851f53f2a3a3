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

  it('names the variable of a bad value', () => {
    expect(() => readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '-5' })).toThrow(/LLM_OTEL_SPOOL_MAX_BYTES.*"-5"/);
    expect(() => readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '10 parsecs' })).toThrow(/LLM_OTEL_SPOOL_MAX_BYTES/);
    expect(() => readSpoolEnv({ LLM_OTEL_SPOOL_MAX_BYTES: '0' })).toThrow(/positive/);
    expect(() => readSpoolEnv({ LLM_OTEL_SPOOL_MAX_AGE_MS: '48h' })).toThrow(/LLM_OTEL_SPOOL_MAX_AGE_MS.*"48h"/);
    expect(() => readSpoolEnv({ LLM_OTEL_SPOOL_MAX_AGE_MS: '1.5' })).toThrow(/LLM_OTEL_SPOOL_MAX_AGE_MS/);
  });
});
