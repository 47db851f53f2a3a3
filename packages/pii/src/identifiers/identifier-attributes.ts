import { diag, type AttributeValue } from '@opentelemetry/api';
import { createPseudonymiser, pseudonymKeyProblem, type PseudonymKey } from './pseudonymiser';

/**
 * Attributes that name a person or their session (semconv `user.id`, `session.id`; `enduser.id` is the
 * deprecated name of `user.id` that older instrumentations still write) and the type their pseudonym
 * names. They never leave the process raw, whoever set them: with a pseudonym key they become
 * `<USER:keyId:hex>`, without one `<USER>`. Detectors and the allow list do not apply to them.
 */
export const IDENTIFIER_TYPES: Readonly<Record<string, string>> = {
  'user.id': 'USER',
  'enduser.id': 'USER',
  'session.id': 'SESSION',
  'session.previous_id': 'SESSION',
};

export function identifierType(key: string): string | undefined {
  return Object.hasOwn(IDENTIFIER_TYPES, key) ? IDENTIFIER_TYPES[key] : undefined;
}

export const NO_PSEUDONYM_KEY_DIAGNOSTIC =
  'llm-otel: user.id and session.id are exported as <USER> / <SESSION> because no pseudonym key is configured; ' +
  'to follow one user across traces by pseudonym, set LLM_OTEL_PSEUDONYM_KEY or LLM_OTEL_PSEUDONYM_KEY_FILE ' +
  '(at least 32 bytes, not the audit key), or pass pseudonyms: { key } to setupTelemetry() / LlmSpanProcessor';

/** Replaces one identifier attribute's value; counts what it replaced by type. */
export type IdentifierReplacer = (type: string, value: AttributeValue, onReplaced: (type: string) => void) => AttributeValue;

/**
 * The replacement of identifier values: pseudonyms under `key`, else `<TYPE>` and, the first time, a
 * diagnostic saying how to turn pseudonyms on. A bad key in code throws (wrong options may).
 */
export function createIdentifierReplacer(pseudonyms: PseudonymKey | undefined): IdentifierReplacer {
  let toToken: (type: string, value: string) => string;
  if (pseudonyms) {
    const problem = pseudonymKeyProblem(pseudonyms.key, pseudonyms.keyId);
    if (problem) throw new TypeError(`llm-otel pseudonyms: ${problem}`);
    const byType = new Map<string, (value: string) => string>();
    toToken = (type, value) => {
      let pseudonymise = byType.get(type);
      if (!pseudonymise) byType.set(type, (pseudonymise = createPseudonymiser(pseudonyms.key, { keyId: pseudonyms.keyId, type })));
      return pseudonymise(value);
    };
  } else {
    let told = false;
    toToken = (type) => {
      if (!told) {
        told = true;
        diag.warn(NO_PSEUDONYM_KEY_DIAGNOSTIC);
      }
      return `<${type}>`;
    };
  }
  const one = (type: string, value: unknown, onReplaced: (type: string) => void): string | null | undefined => {
    if (value === null || value === undefined) return value;
    onReplaced(type);
    return toToken(type, String(value));
  };
  return (type, value, onReplaced) => {
    if (!Array.isArray(value)) return one(type, value, onReplaced) as AttributeValue;
    return value.map((item: unknown) => one(type, item, onReplaced)) as AttributeValue;
  };
}
