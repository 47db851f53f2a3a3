import type { Attributes } from '@opentelemetry/api';
import type { Masker, MaskTally } from '../masker';
import type { PseudonymKey } from './pseudonymiser';
import { createIdentifierReplacer, identifierType } from './identifier-attributes';

/**
 * A masker that only replaces user and session ids, for a pipeline whose PII masking is off
 * (`pii: false`): turning masking off must not export who asked.
 */
export function createIdentifierMasker(pseudonyms: PseudonymKey | undefined): Masker {
  const replace = createIdentifierReplacer(pseudonyms);
  const counting = (tally: MaskTally | undefined) => (type: string) => {
    if (!tally) return;
    tally.count += 1;
    tally.types.add(type);
  };
  return {
    maskString(value, key, tally) {
      const type = key === undefined ? undefined : identifierType(key);
      return type === undefined ? value : (replace(type, value, counting(tally)) as string);
    },
    maskAttributes(attributes: Attributes, tally) {
      let result: Attributes | undefined;
      for (const key in attributes) {
        const type = identifierType(key);
        const value = attributes[key];
        if (type === undefined || value === undefined) continue;
        result ??= { ...attributes };
        result[key] = replace(type, value, counting(tally));
      }
      return result ?? attributes;
    },
    scan: () => [],
  };
}
