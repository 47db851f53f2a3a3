/**
 * Context words, as Presidio's context enhancer uses them: a word such as "name", "born", "passport"
 * near a candidate raises its confidence, a word such as "Inc" or "Street" lowers it. The window is
 * small and fixed, so a lookup costs the same wherever it happens.
 */
export const CONTEXT_WINDOW = 40;

/** True when one of `words` (lower case) ends within `window` characters before `index`. */
export function contextBefore(lowerText: string, index: number, words: readonly string[], window = CONTEXT_WINDOW): boolean {
  const slice = lowerText.slice(Math.max(0, index - window), index);
  for (const word of words) if (slice.includes(word)) return true;
  return false;
}

/** True when one of `words` (lower case) starts within `window` characters after `index`. */
export function contextAfter(lowerText: string, index: number, words: readonly string[], window = CONTEXT_WINDOW): boolean {
  const slice = lowerText.slice(index, index + window);
  for (const word of words) if (slice.includes(word)) return true;
  return false;
}
