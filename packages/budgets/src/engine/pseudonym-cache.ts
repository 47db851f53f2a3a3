/** Distinct users remembered at most; the cache is emptied when full (a pseudonym is recomputed, never wrong). */
const MAX_USERS = 10_000;

/**
 * Remembers each user's pseudonym: an HMAC per call would be most of the check before a call (issue
 * 14: ≤ 5 µs). The raw ids stay in this process's memory only, as they already are in the caller's.
 */
export function cachedPseudonyms(pseudonym: ((userId: string) => string) | undefined): ((userId: string) => string) | undefined {
  if (!pseudonym) return undefined;
  const cache = new Map<string, string>();
  return (userId) => {
    let value = cache.get(userId);
    if (value === undefined) {
      value = pseudonym(userId);
      if (cache.size >= MAX_USERS) cache.clear();
      cache.set(userId, value);
    }
    return value;
  };
}
