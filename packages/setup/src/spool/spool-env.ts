import { diag } from '@opentelemetry/api';
import type { SpoolOptions } from '../options';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** A malformed variable must not stop the application (the OpenTelemetry rule): warn, use the default. */
function unusable(name: string, text: string, expected: string): undefined {
  diag.warn(`llm-otel spool: ${name} must be ${expected}, got "${text}"; using the default`);
  return undefined;
}

function parseBytes(name: string, text: string): number | undefined {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  const value = match && unit !== undefined ? Number(match[1]) * unit : NaN;
  if (Number.isSafeInteger(value) && value > 0) return value;
  return unusable(name, text, 'a positive number of bytes such as 268435456 or 256MiB');
}

function parseMillis(name: string, text: string): number | undefined {
  const value = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (Number.isSafeInteger(value) && value > 0) return value;
  return unusable(name, text, 'a positive whole number of milliseconds such as 172800000');
}

/**
 * The spool settings from LLM_OTEL_SPOOL_DIR, LLM_OTEL_SPOOL_MAX_BYTES (bytes, or with a unit:
 * KB, MB, GB, KiB, MiB, GiB) and LLM_OTEL_SPOOL_MAX_AGE_MS; undefined when none is set. Empty values
 * count as unset. A value that cannot be used is left out with a diag.warn naming the variable (the
 * default applies); this never throws.
 */
export function readSpoolEnv(env: Record<string, string | undefined> = process.env): SpoolOptions | undefined {
  const dir = env.LLM_OTEL_SPOOL_DIR?.trim() || undefined;
  const maxBytes = env.LLM_OTEL_SPOOL_MAX_BYTES?.trim() || undefined;
  const maxAge = env.LLM_OTEL_SPOOL_MAX_AGE_MS?.trim() || undefined;
  if (dir === undefined && maxBytes === undefined && maxAge === undefined) return undefined;
  const options: SpoolOptions = {};
  if (dir !== undefined) options.dir = dir;
  const bytes = maxBytes === undefined ? undefined : parseBytes('LLM_OTEL_SPOOL_MAX_BYTES', maxBytes);
  const millis = maxAge === undefined ? undefined : parseMillis('LLM_OTEL_SPOOL_MAX_AGE_MS', maxAge);
  if (bytes !== undefined) options.maxBytes = bytes;
  if (millis !== undefined) options.maxAgeMillis = millis;
  return options;
}
