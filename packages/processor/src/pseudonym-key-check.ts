import { timingSafeEqual, type KeyObject } from 'node:crypto';
import { pseudonymKeyBytes } from '@llm-otel/pii';

type AuditKey = string | Uint8Array | { key: KeyObject };

function auditKeyBytes(key: AuditKey): Buffer {
  return typeof key === 'string' || key instanceof Uint8Array ? pseudonymKeyBytes(key) : key.key.export();
}

/** True when both keys are the same bytes (compared in constant time). */
export function sameKeyBytes(pseudonymKey: string | Uint8Array, auditKey: AuditKey): boolean {
  const a = pseudonymKeyBytes(pseudonymKey);
  const b = auditKeyBytes(auditKey);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The pseudonym key must not be the integrity chain's: erasure destroys the pseudonym key, and that
 * must not make the record unverifiable (nor the chain's key be one that is meant to be destroyed).
 */
export function refuseAuditKeyAsPseudonymKey(pseudonymKey: string | Uint8Array, auditKey: AuditKey): void {
  if (sameKeyBytes(pseudonymKey, auditKey)) {
    throw new TypeError(
      'llm-otel: the pseudonym key is the audit key; give each its own key (destroying the pseudonym key for erasure must not break verification of the chain)',
    );
  }
}
