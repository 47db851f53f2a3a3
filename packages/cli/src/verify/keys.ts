import { loadKeyFile, loadKeyFromEnv, type ChainKey } from '@llm-otel/audit/verify';
import type { KeyObject } from 'node:crypto';

export class UsageError extends Error {}

/**
 * The keyring: `--key-file ID=PATH` (repeatable, one per key id, for rotated keys), `--key-file PATH`
 * with `--key-id`, and LLM_OTEL_AUDIT_KEY(_FILE)/LLM_OTEL_AUDIT_KEY_ID. A key that cannot be used is a
 * usage error naming its source, never its content.
 */
export function loadKeyring(keyFiles: string[], keyId: string | undefined, env: NodeJS.ProcessEnv): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  const add = (key: ChainKey) => keys.set(key.keyId, key.key);
  for (const spec of keyFiles) {
    const separator = spec.indexOf('=');
    const [id, path] = separator > 0 ? [spec.slice(0, separator), spec.slice(separator + 1)] : [keyId, spec];
    const loaded = loadKeyFile(path, id ?? undefined);
    if (!loaded.ok) throw new UsageError(`--key-file ${path}: ${loaded.reason}`);
    add(loaded.key);
  }
  const fromEnv = loadKeyFromEnv(env);
  if (fromEnv) {
    if (!fromEnv.ok) throw new UsageError(`${fromEnv.source}: ${fromEnv.reason}`);
    add(fromEnv.key);
  }
  if (keys.size === 0) throw new UsageError('no key: give --key-file (or set LLM_OTEL_AUDIT_KEY / LLM_OTEL_AUDIT_KEY_FILE)');
  return keys;
}
