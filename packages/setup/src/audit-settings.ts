import type { Sampler } from '@opentelemetry/sdk-trace-base';
import { ATTR_CHAIN_OFF_REASON, IntegrityChain, loadKeyFromEnv } from '@llm-otel/audit';
import type { AuditOptions } from './options';

/** What set-up decided about the integrity chain (docs/integrity-chain.md). */
export interface AuditSettings {
  chain?: IntegrityChain;
  checkpointIntervalMillis?: number;
  /** Resource attributes saying why the chain asked for in the environment is off. */
  resourceAttributes: Record<string, string>;
}

/**
 * The `audit` option wins (a short key there throws: wrong options in code may); `audit: false` turns the
 * chain off even when the environment sets a key. Otherwise LLM_OTEL_AUDIT_KEY / LLM_OTEL_AUDIT_KEY_FILE
 * (with LLM_OTEL_AUDIT_KEY_ID): a key that cannot be used starts the application with the chain visibly
 * off, as for every malformed variable: a diagnostic, and `llm_otel.chain.off_reason` on the resource,
 * so that the backend shows why these spans carry no chain. No message ever holds the key.
 */
export function resolveAudit(option: AuditOptions | false | undefined, env: NodeJS.ProcessEnv, warn: (message: string) => void): AuditSettings {
  if (option === false) return { resourceAttributes: {} };
  if (option !== undefined) {
    return {
      chain: new IntegrityChain({ key: option.key, keyId: option.keyId }),
      checkpointIntervalMillis: option.checkpointIntervalMillis,
      resourceAttributes: {},
    };
  }
  const loaded = loadKeyFromEnv(env);
  if (loaded === undefined) return { resourceAttributes: {} };
  if (!loaded.ok) {
    const reason = `${loaded.source}: ${loaded.reason}`;
    warn(`llm-otel: ${reason}; the integrity chain is OFF (spans are exported without chain links)`);
    return { resourceAttributes: { [ATTR_CHAIN_OFF_REASON]: reason } };
  }
  return { chain: new IntegrityChain({ key: loaded.key }), resourceAttributes: {} };
}

/**
 * A sampler that drops calls keeps them out of the chain too (an unsampled span is never exported, so it
 * is never numbered): the record is complete only for what was sampled. Parent-based always-on follows a
 * caller's decision; it counts as always-on here, as the default.
 */
export function warnIfSamplerDropsCalls(sampler: Sampler, warn: (message: string) => void): void {
  const description = sampler.toString();
  if (description === 'AlwaysOnSampler' || description.startsWith('ParentBased{root=AlwaysOnSampler')) return;
  warn(`llm-otel: the sampler (${description}) drops calls: sampled-out calls are not in the audit record`);
}
