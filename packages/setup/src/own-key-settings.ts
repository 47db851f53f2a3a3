import { loadKeyFromEnv, readKeyFile } from '@llm-otel/audit';
import { pseudonymKeyBytes } from '@llm-otel/pii';
import { sameKeyBytes } from '@llm-otel/processor';
import type { AuditOptions } from './options';

/** A key of its own (pseudonyms, request fingerprints): how it is named, checked and read from the environment. */
export interface OwnKeySpec {
  /** `pseudonym`, `fingerprint`: in messages. */
  name: string;
  envKey: string;
  envKeyFile: string;
  envKeyId: string;
  /** Why a key cannot be used, or undefined; never echoes the key. */
  problem(key: string | Uint8Array, keyId: string): string | undefined;
  /** What happens without the key, for the warning. */
  fallback: string;
}

export interface OwnKey {
  key: string | Uint8Array;
  keyId: string;
}

/**
 * A key loaded the way the audit key is (audit-settings.ts): the option wins, and a bad key or one equal
 * to another key of ours throws there (wrong options in code may); `false` means none even when the
 * environment sets one. Otherwise `<envKey>` or `<envKeyFile>` (with `<envKeyId>`): a key that cannot be
 * used warns and is not used. `others` are the keys it must differ from (the audit key is read from its
 * option or the environment here). No message holds a key.
 */
export function resolveOwnKey(
  spec: OwnKeySpec,
  option: { key: string | Uint8Array; keyId?: string } | false | undefined,
  audit: AuditOptions | false | undefined,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
  others: ReadonlyArray<{ name: string; key: string | Uint8Array }> = [],
): OwnKey | undefined {
  if (option === false) return undefined;
  const auditKey = auditKeyBytes(audit, env);
  const clashes = [...(auditKey ? [{ name: 'audit', key: auditKey }] : []), ...others];
  const clash = (key: string | Uint8Array) => clashes.find((other) => sameKeyBytes(key, other.key));
  const equal = (other: string) =>
    `the ${spec.name} key is the ${other} key; give each its own key${other === 'audit' ? ` (destroying the ${spec.name} key must not break verification of the chain)` : ''}`;
  if (option !== undefined) {
    const keyId = option.keyId ?? 'default';
    const problem = spec.problem(option.key, keyId);
    if (problem) throw new TypeError(`llm-otel ${spec.name}: ${problem}`);
    const other = clash(option.key);
    if (other) throw new TypeError(`llm-otel: ${equal(other.name)}`);
    return { key: option.key, keyId };
  }
  const loaded = loadFromEnv(spec, env);
  if (loaded === undefined) return undefined;
  if ('problem' in loaded) {
    warn(`llm-otel: ${loaded.source}: ${loaded.problem}; ${spec.fallback}`);
    return undefined;
  }
  const other = clash(loaded.key);
  if (other) {
    warn(`llm-otel: ${loaded.source}: ${equal(other.name)}; ${spec.fallback}`);
    return undefined;
  }
  return { key: loaded.key, keyId: loaded.keyId };
}

type EnvKey = { key: Buffer; keyId: string; source: string } | { problem: string; source: string };

function loadFromEnv(spec: OwnKeySpec, env: NodeJS.ProcessEnv): EnvKey | undefined {
  const keyId = env[spec.envKeyId]?.trim() || 'default';
  const inline = env[spec.envKey];
  const file = env[spec.envKeyFile]?.trim();
  let key: Buffer;
  let source: string;
  if (inline !== undefined && inline !== '') {
    key = pseudonymKeyBytes(inline);
    source = spec.envKey;
  } else if (file) {
    source = spec.envKeyFile;
    try {
      // The audit key file's reader: the same rule for one trailing line break.
      key = readKeyFile(file);
    } catch (error) {
      return { problem: `the key file cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, source };
    }
  } else return undefined;
  const problem = spec.problem(key, keyId);
  return problem ? { problem, source } : { key, keyId, source };
}

/** The audit key's bytes as set-up will use it (option, else environment), to refuse it as another key. */
function auditKeyBytes(audit: AuditOptions | false | undefined, env: NodeJS.ProcessEnv): Buffer | undefined {
  if (audit === false) return undefined;
  if (audit !== undefined) return typeof audit.key === 'string' || audit.key instanceof Uint8Array ? pseudonymKeyBytes(audit.key) : undefined;
  const loaded = loadKeyFromEnv(env);
  return loaded?.ok ? loaded.key.key.export() : undefined;
}
