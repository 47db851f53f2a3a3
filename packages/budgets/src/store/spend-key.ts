/**
 * The store key of one budget's spend in one period and scope: `llm-otel:budget:v1:<budget>|<period>|<scope>`.
 *
 * Every part is percent-encoded (encodeURIComponent), so a `|`, `=` or `,` inside a budget name or a
 * scope value cannot forge another key, and the key stays printable for Redis and the file store.
 * User values are pseudonyms already (TEAM.md item 2): a raw user id never reaches a key.
 */

export const SPEND_KEY_PREFIX = 'llm-otel:budget:v1:';

/** The scope dimensions a budget may be keyed by, in their fixed order in a key. */
export const SCOPE_KEYS = ['service', 'provider', 'model', 'agent', 'conversation', 'user'] as const;
export type ScopeKey = (typeof SCOPE_KEYS)[number];
export type ScopeValues = Partial<Record<ScopeKey, string>>;

export interface DecodedSpendKey {
  budget: string;
  /** `request`, `day:2026-12-01`, `month:2026-12`, `rolling:<ms>:<bucket>`. */
  period: string;
  scope: ScopeValues;
}

const SCOPE_KEY_SET: ReadonlySet<string> = new Set(SCOPE_KEYS);

export function encodeSpendKey(budget: string, period: string, scope: ScopeValues): string {
  let scopePart = '';
  for (const name of SCOPE_KEYS) {
    const value = scope[name];
    if (value === undefined) continue;
    if (scopePart !== '') scopePart += ',';
    scopePart += `${name}=${encodeURIComponent(value)}`;
  }
  return `${SPEND_KEY_PREFIX}${encodeURIComponent(budget)}|${encodeURIComponent(period)}|${scopePart}`;
}

/** The prefix of every key of one budget (and, optionally, one period): for usage reports. */
export function spendKeyPrefix(budget?: string, period?: string): string {
  if (budget === undefined) return SPEND_KEY_PREFIX;
  const head = `${SPEND_KEY_PREFIX}${encodeURIComponent(budget)}|`;
  return period === undefined ? head : `${head}${encodeURIComponent(period)}|`;
}

/** `undefined` for a key that is not a spend key of this version (never throws: keys come from stores). */
export function decodeSpendKey(key: string): DecodedSpendKey | undefined {
  if (!key.startsWith(SPEND_KEY_PREFIX)) return undefined;
  const parts = key.slice(SPEND_KEY_PREFIX.length).split('|');
  if (parts.length !== 3) return undefined;
  try {
    const scope: ScopeValues = {};
    if (parts[2] !== '') {
      for (const pair of parts[2].split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) return undefined;
        const name = pair.slice(0, eq);
        if (!SCOPE_KEY_SET.has(name)) return undefined;
        scope[name as ScopeKey] = decodeURIComponent(pair.slice(eq + 1));
      }
    }
    return { budget: decodeURIComponent(parts[0]), period: decodeURIComponent(parts[1]), scope };
  } catch {
    return undefined; // malformed percent-encoding
  }
}
