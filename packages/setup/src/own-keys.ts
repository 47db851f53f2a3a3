import { pseudonymKeyProblem, type PseudonymKey } from '@llm-otel/pii';
import { fingerprintKeyProblem, type FingerprintKeyOptions } from '@llm-otel/instrumentation';
import type { AuditOptions, PseudonymOptions, SetupOptions } from './options';
import { resolveOwnKey, type OwnKeySpec } from './own-key-settings';

export const PSEUDONYM_KEY: OwnKeySpec = {
  name: 'pseudonym',
  envKey: 'LLM_OTEL_PSEUDONYM_KEY',
  envKeyFile: 'LLM_OTEL_PSEUDONYM_KEY_FILE',
  envKeyId: 'LLM_OTEL_PSEUDONYM_KEY_ID',
  problem: pseudonymKeyProblem,
  fallback: 'user and session ids are exported as <USER> / <SESSION>',
};

export const FINGERPRINT_KEY: OwnKeySpec = {
  name: 'fingerprint',
  envKey: 'LLM_OTEL_FINGERPRINT_KEY',
  envKeyFile: 'LLM_OTEL_FINGERPRINT_KEY_FILE',
  envKeyId: 'LLM_OTEL_FINGERPRINT_KEY_ID',
  problem: fingerprintKeyProblem,
  fallback: 'request fingerprints are plain SHA-256 (llm_otel.request.fingerprint_algorithm=sha256)',
};

/** The pseudonym key (README, "Who asked"): never the audit key. */
export function resolvePseudonyms(
  option: PseudonymOptions | false | undefined,
  audit: AuditOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): PseudonymKey | undefined {
  return resolveOwnKey(PSEUDONYM_KEY, option, audit, env, warn);
}

/** The request-fingerprint key (docs/request-fingerprint.md): never the audit or the pseudonym key. */
export function resolveFingerprintKey(
  option: FingerprintKeyOptions | false | undefined,
  audit: AuditOptions | false | undefined,
  pseudonyms: PseudonymKey | undefined,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): FingerprintKeyOptions | undefined {
  return resolveOwnKey(FINGERPRINT_KEY, option, audit, env, warn, pseudonyms ? [{ name: 'pseudonym', key: pseudonyms.key }] : []);
}

/** Both keys of set-up, pseudonyms first (the fingerprint key must differ from it too). */
export function resolveOwnKeys(
  options: SetupOptions,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): { pseudonyms?: PseudonymKey; fingerprint?: FingerprintKeyOptions } {
  const pseudonyms = resolvePseudonyms(options.pseudonyms, options.audit, env, warn);
  return { pseudonyms, fingerprint: resolveFingerprintKey(options.fingerprint, options.audit, pseudonyms, env, warn) };
}
