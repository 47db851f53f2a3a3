import { loadKeyFromEnv, readKeyFile } from '@llm-otel/audit';
import { pseudonymKeyBytes, pseudonymKeyProblem, DEFAULT_PSEUDONYM_KEY_ID, type PseudonymKey } from '@llm-otel/pii';
import { sameKeyBytes } from '@llm-otel/processor';
import type { AuditOptions, PseudonymOptions } from './options';

export const ENV_PSEUDONYM_KEY = 'LLM_OTEL_PSEUDONYM_KEY';
export const ENV_PSEUDONYM_KEY_FILE = 'LLM_OTEL_PSEUDONYM_KEY_FILE';
export const ENV_PSEUDONYM_KEY_ID = 'LLM_OTEL_PSEUDONYM_KEY_ID';

const EQUAL_TO_AUDIT_KEY = 'the pseudonym key is the audit key; give each its own key (destroying the pseudonym key for erasure must not break verification of the chain)';

/**
 * The key that pseudonymises `user.id` / `session.id`, loaded the way the audit key is
 * (audit-settings.ts): the `pseudonyms` option wins, and a short key or the audit key there throws
 * (wrong options in code may); `pseudonyms: false` means no key even when the environment sets one.
 * Otherwise LLM_OTEL_PSEUDONYM_KEY or LLM_OTEL_PSEUDONYM_KEY_FILE (with LLM_OTEL_PSEUDONYM_KEY_ID): a key
 * that cannot be used warns and is not used, so ids are exported as `<USER>` / `<SESSION>`, never raw.
 * No message holds a key.
 */
export function resolvePseudonyms(
  option: PseudonymOptions | false | undefined,
  audit: AuditOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): PseudonymKey | undefined {
  if (option === false) return undefined;
  const auditKey = auditKeyBytes(audit, env);
  if (option !== undefined) {
    const keyId = option.keyId ?? DEFAULT_PSEUDONYM_KEY_ID;
    const problem = pseudonymKeyProblem(option.key, keyId);
    if (problem) throw new TypeError(`llm-otel pseudonyms: ${problem}`);
    if (auditKey && sameKeyBytes(option.key, auditKey)) throw new TypeError(`llm-otel: ${EQUAL_TO_AUDIT_KEY}`);
    return { key: option.key, keyId };
  }
  const loaded = loadFromEnv(env);
  if (loaded === undefined) return undefined;
  const fallback = 'user and session ids are exported as <USER> / <SESSION>';
  if ('problem' in loaded) {
    warn(`llm-otel: ${loaded.source}: ${loaded.problem}; ${fallback}`);
    return undefined;
  }
  if (auditKey && sameKeyBytes(loaded.key, auditKey)) {
    warn(`llm-otel: ${loaded.source}: ${EQUAL_TO_AUDIT_KEY}; ${fallback}`);
    return undefined;
  }
  return { key: loaded.key, keyId: loaded.keyId };
}

type EnvKey = { key: Buffer; keyId: string; source: string } | { problem: string; source: string };

function loadFromEnv(env: NodeJS.ProcessEnv): EnvKey | undefined {
  const keyId = env[ENV_PSEUDONYM_KEY_ID]?.trim() || DEFAULT_PSEUDONYM_KEY_ID;
  const inline = env[ENV_PSEUDONYM_KEY];
  const file = env[ENV_PSEUDONYM_KEY_FILE]?.trim();
  let key: Buffer;
  let source: string;
  if (inline !== undefined && inline !== '') {
    key = pseudonymKeyBytes(inline);
    source = ENV_PSEUDONYM_KEY;
  } else if (file) {
    source = ENV_PSEUDONYM_KEY_FILE;
    try {
      // The audit key file's reader: the same rule for one trailing line break.
      key = readKeyFile(file);
    } catch (error) {
      return { problem: `the key file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, source };
    }
  } else return undefined;
  const problem = pseudonymKeyProblem(key, keyId);
  return problem ? { problem, source } : { key, keyId, source };
}

/** The audit key's bytes as set-up will use it (option, else environment), to refuse it as a pseudonym key. */
function auditKeyBytes(audit: AuditOptions | false | undefined, env: NodeJS.ProcessEnv): Buffer | undefined {
  if (audit === false) return undefined;
  if (audit !== undefined) return typeof audit.key === 'string' || audit.key instanceof Uint8Array ? pseudonymKeyBytes(audit.key) : undefined;
  const loaded = loadKeyFromEnv(env);
  return loaded?.ok ? loaded.key.key.export() : undefined;
}
