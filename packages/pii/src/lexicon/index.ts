import { FAMILY_NAMES, FIRST_NAMES, KO_FAMILY_NAMES, KO_GIVEN_NAMES } from './names-data';

/**
 * The name gazetteers, split on first use (about 12,000 entries, ~1 ms): built from @faker-js/faker's
 * person lists (MIT, see names-data.ts and the package README), common English words removed.
 */
let sets: { first: Set<string>; family: Set<string>; koFamily: Set<string>; koGiven: Set<string> } | undefined;

function load(): NonNullable<typeof sets> {
  if (sets) return sets;
  // Korean compound family names, which faker's list (single syllables) lacks.
  const koFamily = new Set([...KO_FAMILY_NAMES.split(' '), '남궁', '제갈', '선우', '황보', '독고', '사공', '서문', '동방']);
  return (sets = {
    first: new Set(FIRST_NAMES.split(' ')),
    family: new Set(FAMILY_NAMES.split(' ')),
    koFamily,
    koGiven: new Set(KO_GIVEN_NAMES.split(' ')),
  });
}

export const isFirstName = (word: string): boolean => load().first.has(word);
export const isFamilyName = (word: string): boolean => load().family.has(word);
export const isKoreanFamilyName = (syllables: string): boolean => load().koFamily.has(syllables);
export const isKoreanGivenName = (syllables: string): boolean => load().koGiven.has(syllables);
