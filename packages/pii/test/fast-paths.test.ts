import { describe, expect, it } from 'vitest';
import { createMasker, type MaskTally } from '@llm-otel/pii';
import { CAPITALISED_RUN, CAPITALISED_WORD, personNameDetector, NAME_IS_ANYWHERE } from '../src/detectors/person-name';
import { NAMES } from '../src/detectors/secret-assignment';
import { AGE, ageDetector, hasAgeWords } from '../src/detectors/age';
import {
  bare,
  hasUkInwardCode,
  HOUSE_NUMBER,
  MAX_HOUSE_NUMBER_DIGITS,
  mayHavePoBox,
  nextHouseNumber,
  PO_BOX,
  STREET_TYPE_WORDS,
  UK_INWARD_CODE,
} from '../src/detectors/street-address';
import { CANDIDATE, nextCandidate } from '../src/detectors/phone';
import { IBAN_START, nextIbanStart } from '../src/detectors/iban';
import { hasDigitUnderscoreDigit } from '../src/detectors/payment-card';
import { builtInDetectors } from '../src/detectors';
import { hasWideOrSpace } from '../src/normalise';
import { CASE_INSENSITIVE, CASE_SENSITIVE_KEYWORDS, Profile } from '../src/text-profile';

/**
 * The masker's shortcuts (issue 11: masking a typical LLM span faster) must never change what is
 * masked. Each is checked against what it replaced, on deterministic pseudo-random text, so a failure
 * reproduces.
 */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const tally = (): MaskTally => ({ count: 0, types: new Set() });

/** Up to `max` pieces drawn at random, joined. */
function randomText(random: () => number, pieces: string[], max: number): string {
  let text = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
  return text;
}

describe('Profile.hasDigits (one counting pass)', () => {
  it('answers every count as the anchored regular expression it replaced, asked in any order', () => {
    const random = seeded(11);
    const pieces = ['a', ' ', '0', '7', '9', '-', '.', '４', '\n', 'word ', '12', '٣'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      const length = Math.floor(random() * 40);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const profile = new Profile(text);
      // Several questions per profile, in random order: the count resumes where the last one stopped.
      for (let q = 0; q < 6; q++) {
        const count = Math.floor(random() * 20);
        expect(profile.hasDigits(count), `${JSON.stringify(text)} ${count}`).toBe(new RegExp(`^(?:[^0-9]*[0-9]){${count}}`).test(text));
      }
    }
  });
});

describe('clean short values are not scanned again', () => {
  it('a repeated value with personal data in it is masked, and counted, every time', () => {
    const masker = createMasker();
    for (let i = 0; i < 3; i++) {
      const counts = tally();
      expect(masker.maskString('mail jane@example.com', undefined, counts)).toBe('mail <EMAIL>');
      expect(counts.count).toBe(1);
    }
  });

  it('a value remembered as clean in a URL attribute (host kept) is still masked as text', () => {
    const masker = createMasker();
    const url = 'https://203.0.113.9/v1/chat';
    expect(masker.maskString(url, 'url.full')).toBe(url);
    expect(masker.maskString(url)).toBe('https://<IP_ADDRESS>/v1/chat');
    expect(masker.maskAttributes({ 'url.full': url, 'app.target': url })).toEqual({ 'url.full': url, 'app.target': 'https://<IP_ADDRESS>/v1/chat' });
  });

  it('gives what a fresh masker gives, for short values repeated and interleaved past the cache bound', () => {
    const random = seeded(5);
    const words = ['POST', 'stop', 'fetch', 'Jane Doe', 'jane@example.com', '415-555-2671', 'conv-', 'gpt-4o', '4111 1111 1111 1111', 'ok', ' '];
    const values: string[] = [];
    for (let i = 0; i < 3000; i++) {
      let value = words[Math.floor(random() * words.length)]!;
      if (random() < 0.5) value += String(Math.floor(random() * 900));
      values.push(value);
    }
    const reused = createMasker();
    for (const value of [...values, ...values]) {
      const counts = tally();
      const fresh = tally();
      expect(reused.maskString(value, undefined, counts)).toBe(createMasker().maskString(value, undefined, fresh));
      expect(counts).toEqual(fresh);
    }
  });
});

describe('capitalised words: the spellings that test the capital first', () => {
  // The patterns as they were written before (lookbehind first), the reference.
  const REFERENCE_RUN =
    /(?<![\p{L}\p{N}_@./\\-])\p{Lu}[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])(?: (?:\p{Lu}\.? )?\p{Lu}[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])){0,3}/gu;
  const REFERENCE_WORD = /(?<![\p{L}\p{N}_@./\\-])\p{Lu}[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])/gu;
  const matches = (pattern: RegExp, text: string): string[] => [...text.matchAll(pattern)].map((m) => `${m.index}:${m[0]}`);
  // Capitals and letters of several scripts, astral ones (`𝐀`), marks, apostrophes and the characters
  // the lookbehind excludes.
  const pieces = [
    'Jane',
    'Doe',
    'O’Neil',
    "D'Arcy",
    'Ölaf',
    'ÉMILE',
    'Anne-Marie',
    'McKay',
    'F.',
    'x',
    'ab',
    '.',
    '@',
    '_',
    '-',
    '/',
    '\\',
    'é',
    'e\u0301',
    '𝐀bc',
    '𝐚',
    'İstanbul',
    'Σωκράτης',
    'Иван',
    '김민수',
    '7',
    ' ',
    ' ',
    '\n',
    ',',
    '😀',
    'ǅemal',
  ];

  it('find the same matches as the patterns they replace, on Latin-1 and on two-byte text', () => {
    const random = seeded(23);
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const count = 1 + Math.floor(random() * 14);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
      for (const [reference, pattern] of [
        [REFERENCE_RUN, CAPITALISED_RUN],
        [REFERENCE_WORD, CAPITALISED_WORD],
      ] as const) {
        const expected = matches(reference, text);
        expect(matches(pattern.latin1, text), text).toEqual(expected);
        expect(matches(pattern.wide, text), text).toEqual(expected);
      }
    }
  });
});

describe('names: the pre-filter tries ASCII capitals first', () => {
  it('answers what the Unicode test it fronts answers', () => {
    const random = seeded(41);
    const pieces = ['Jane', 'jane', 'A', 'a', 'É', 'é', 'Émile', '𝐀', '𝐚', 'ǅ', 'ǆ', 'Σ', 'σ', 'İ', '김', '1', ' ', '’', '.'];
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const count = Math.floor(random() * 6);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
      expect(personNameDetector.mayContain(new Profile(text)), text).toBe(/\p{Lu}\p{Ll}/u.test(text) || /[가-힣]/.test(text));
    }
  });
});

describe('names: lower-case text is tested for what a name phrase needs first', () => {
  it('answers what the full test answers, case folding and lists included', () => {
    const random = seeded(43);
    // `ſ` folds to `s` and `K` (Kelvin) to `k` under `iu`; the list alternative needs only `, `.
    const pieces = [
      'name',
      'NAME',
      'Name',
      ' is',
      ' iſ',
      "'s",
      '’s',
      'call',
      'CALLS',
      's',
      ' me',
      "i'm",
      'i am',
      ' called',
      ',',
      ', ',
      ',,',
      'tom',
      'anna',
      'and',
      '&',
      ' ',
      'é',
      'ß',
      'K',
      'σ',
      '1',
      '.',
      'service.name',
    ];
    for (let n = 0; n < 6000; n++) {
      let text = '';
      const count = 1 + Math.floor(random() * 8);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
      expect(personNameDetector.mayContain(new Profile(text)), text).toBe(/\p{Lu}\p{Ll}/u.test(text) || /[가-힣]/.test(text) || NAME_IS_ANYWHERE.test(text));
    }
  });
});

describe('secret assignments: names rejected on their last two characters', () => {
  it('never rejects a name of the list, whatever its case and the `-` and `_` inside it', () => {
    const random = seeded(31);
    const masker = createMasker();
    for (const name of NAMES) {
      for (let n = 0; n < 40; n++) {
        let written = '';
        // Separators inside the name, not after it, and within the 32 characters a name may have
        // (`password-:` and longer names are not read as names, before or after this filter).
        [...name].forEach((c, i) => {
          written += random() < 0.4 ? c.toUpperCase() : c;
          if (i < name.length - 1 && written.length + name.length - i < 30 && random() < 0.2) written += random() < 0.5 ? '-' : '__';
        });
        const value = 'Zq7vLm2pXw9';
        const text = `${random() < 0.5 ? '"' : ''}${written}${random() < 0.5 ? '"' : ''}${random() < 0.5 ? ':' : '='} ${value}`;
        const masked = masker.maskString(text);
        // Cookie and authorization values are masked to the end of the line or after a scheme word.
        expect(masked, text).not.toContain(value);
      }
    }
  });
});

describe('Profile.has: the keywords found at their rare characters', () => {
  const caseSensitive = CASE_SENSITIVE_KEYWORDS;
  const caseInsensitive = [...CASE_INSENSITIVE];
  it('answers as a search for each keyword, at the start and end of the text and where keywords overlap', () => {
    const random = seeded(23);
    const pieces = [
      ...caseSensitive,
      'BEARER',
      'Aws',
      'PassWord',
      'IDENTIFIED',
      'sk',
      '-',
      '_',
      'A',
      'J',
      'x',
      'KIA',
      'ey',
      'gh',
      'p_',
      'github',
      '_pat',
      '----',
      'BEGIN',
      'o',
      ' ',
      'word',
    ];
    for (let n = 0; n < 4000; n++) {
      let text = '';
      const length = Math.floor(random() * 8);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      const profile = new Profile(text);
      for (const keyword of caseSensitive) expect(profile.has(keyword), `${JSON.stringify(text)} ${keyword}`).toBe(text.includes(keyword));
      for (const keyword of caseInsensitive) expect(profile.has(keyword), `${JSON.stringify(text)} ${keyword}`).toBe(new RegExp(keyword, 'i').test(text));
    }
  });
});

describe('street addresses: numbers and words rejected before they are read', () => {
  const masker = createMasker();
  const addressIn = (text: string): boolean => masker.scan(text).some((finding) => finding.type === 'STREET_ADDRESS');

  it('a house number before an ordinal street is read (`350 5th Avenue`), a card group is not', () => {
    for (const street of ['5th Avenue', '42nd Street', '3rd Road', '101st Lane'])
      expect(addressIn(`Visit us at the office, 350 ${street}, New York`), street).toBe(true);
    expect(addressIn('My card is 4111 1111 1111 1111 today')).toBe(false);
  });

  it('every street type written apart before the house number is read, whatever its first letter', () => {
    // With a dot where the abbreviation has one (`u.`, `rkp.`), as written in addresses.
    for (const type of [...STREET_TYPE_WORDS, 'gate'].map((word) => (word === 'u' || word === 'rkp' ? `${word}.` : word))) {
      expect(addressIn(`The office: Kálmán Imre ${type} 12 (second floor)`), type).toBe(true);
    }
  });
});

describe('one-pass tests rewritten for the engine', () => {
  it('the UK inward-code gate answers as `[0-9][A-Z]{2}\\b`', () => {
    const random = seeded(41);
    const pieces = ['1', '4', 'A', 'B', 'AB', 'X', 'a', ' ', '.', '_', 'É', 'OX1 4AB', '9ZZ', 'ZZ9'];
    for (let n = 0; n < 4000; n++) {
      const text = randomText(random, pieces, 10);
      expect(UK_INWARD_CODE.test(text), JSON.stringify(text)).toBe(/[0-9][A-Z]{2}\b/.test(text));
    }
  });

  it('the normalisation pre-test answers as the one character class it replaced', () => {
    const random = seeded(43);
    const pieces = [
      'a',
      ' ',
      '1',
      '\u00a0',
      '\u1680',
      '\u2000',
      '\u200b',
      '\u200d',
      '\u202f',
      '\u205f',
      '\u2060',
      '\u3000',
      '\ufe6b',
      '\ufeff',
      '\uff01',
      '\uff5e',
      '\uff5f',
      '\u00ff',
      '\u2010',
      'é',
      '한',
    ];
    const old = /[\u00a0\u1680\u2000-\u200d\u202f\u205f\u2060\u3000\ufe6b\ufeff\uff01-\uff5e]/;
    for (let n = 0; n < 4000; n++) {
      const text = randomText(random, pieces, 6);
      expect(hasWideOrSpace(text), JSON.stringify(text)).toBe(old.test(text));
    }
  });

  it('a street word without its trailing dots and commas, lower-cased, as the `replace` it replaced', () => {
    const random = seeded(47);
    const pieces = ['St', 'u', '.', ',', 'TÉR', 'İ', ' ', 'a.b', ''];
    for (let n = 0; n < 4000; n++) {
      const word = randomText(random, pieces, 6);
      expect(bare(word), JSON.stringify(word)).toBe(word.replace(/[.,]+$/, '').toLowerCase());
    }
  });
});

describe('digit runs listed once, patterns tried only there (issue 11, third pass)', () => {
  const digitPieces = ['1', '42', '130', '2024', '1234567', ' ', '.', '-', ',', 'a', 'x', '\\', '/', '_', ':', '٣', '４', '\n', 'word '];
  // The same text with enough prose around it that its digits are listed as runs (at most one in 32
  // characters), and as it is (mostly searched for): both ways must give the reference's answer.
  const bothWays = (text: string): string[] => [text, `${'Some prose here. '.repeat(2 * text.length)}${text} and more prose after it.`];
  /** Every built-in detector's reports on `text`, read with `profile`. */
  const findAll = (text: string, profile: Profile): string => {
    const found: string[] = [];
    for (const detector of builtInDetectors) {
      if (detector.mayContain(profile))
        detector.find(text, (start, end, priority) => found.push(`${detector.type}:${start}-${end}:${priority ?? ''}`), profile);
    }
    return found.join(' ');
  };
  /** The reports with the runs never listed: every detector takes its whole-text path. */
  const searchedWhole = (text: string): string => findAll(text, Object.assign(new Profile(text), { digitSpans: () => undefined }));

  it('the runs, the digit count and the joined runs are what the regular expressions find', () => {
    const random = seeded(53);
    let listed = 0;
    for (let n = 0; n < 3000; n++) {
      for (const text of bothWays(randomText(random, digitPieces, 30))) {
        const profile = new Profile(text);
        const spans = profile.digitSpans();
        const digits = text.replace(/[^0-9]/g, '').length;
        expect(spans === undefined, JSON.stringify(text)).toBe(digits > Math.floor(text.length / 32));
        if (spans) {
          listed++;
          expect([...spans], JSON.stringify(text)).toEqual([...text.matchAll(/[0-9]+/g)].flatMap((m) => [m.index, m.index + m[0].length]));
        }
        for (const minDigits of [1, 4, 9, 13]) {
          const reference = [...text.matchAll(/[0-9](?:[ .-]?[0-9])*/g)]
            .map((m) => ({ start: m.index, end: m.index + m[0].length, digits: m[0].replace(/[^0-9]/g, '').length }))
            .filter((run) => run.digits >= minDigits);
          expect(profile.digitRuns(minDigits), `${JSON.stringify(text)} ${minDigits}`).toEqual(reference);
        }
        const count = Math.floor(random() * 16);
        expect(profile.hasDigits(count), `${JSON.stringify(text)} ${count}`).toBe(digits >= count);
      }
    }
    expect(listed).toBeGreaterThan(2500);
  });

  it('a house number is found only at the first digit of a run of at most six', () => {
    const random = seeded(59);
    for (let n = 0; n < 4000; n++) {
      const text = randomText(random, [...digitPieces, '12a', '5-7', 'B'], 20);
      const starts = new Set<number>();
      for (const run of text.matchAll(/[0-9]+/g)) if (run[0].length <= MAX_HOUSE_NUMBER_DIGITS) starts.add(run.index);
      for (const match of text.matchAll(HOUSE_NUMBER)) expect(starts.has(match.index), JSON.stringify(text)).toBe(true);
    }
  });

  type Next = (text: string, spans: readonly number[] | undefined, cursor: { run: number }, from: number) => RegExpExecArray | null;
  const searches: Array<[string, RegExp, Next, string[]]> = [
    ['house numbers', HOUSE_NUMBER, nextHouseNumber, ['12a', '5-7', 'B', ' Main St']],
    ['phone candidates', CANDIDATE, nextCandidate, ['+', '(', ')', '+1 (', '555-', '\\', '#', '/', '030/', ' 2671']],
    ['IBAN starts', IBAN_START, nextIbanStart, ['GB', 'de', 'X', '\\n', '82 ', 'WEST']],
  ];
  for (const [name, pattern, next, extra] of searches) {
    it(`${name} tried at the runs are the matches a search of the whole text finds, in order`, () => {
      const random = seeded(name.length * 67);
      // Starts before a run (`(`, `+`) and inside one (after a backslash: 16 digits fail at the first).
      const cases = ['(415) 555-2671', '+1 (415) 555-2671', 'x\\1234567890123456 y', 'IBAN GB82 WEST 1234 5698 7654 32', '12-34 5a Main St'];
      for (let n = 0; n < 3000; n++) {
        for (const text of bothWays(n < cases.length ? cases[n]! : randomText(random, [...digitPieces, ...extra], 24))) {
          const spans = new Profile(text).digitSpans();
          const cursor = { run: 0 };
          const found: number[] = [];
          // From the end of each match, as a global search goes on (the detectors move on from there or further).
          for (let match = next(text, spans, cursor, 0); match !== null; match = next(text, spans, cursor, match.index + match[0].length))
            found.push(match.index, match[0].length);
          expect(found, JSON.stringify(text)).toEqual([...text.matchAll(pattern)].flatMap((m) => [m.index, m[0].length]));
        }
      }
    });
  }

  it('the gates answered from the runs answer as their patterns', () => {
    const random = seeded(71);
    let boxes = 0;
    const pieces = [...digitPieces, 'AB', 'Q', 'x', '_', 'Box ', 'BP ', 'postale ', 'Apartado de correos ', '사서함', '사서함 ', 'P.O. Box', 'is '];
    for (let n = 0; n < 4000; n++) {
      for (const text of bothWays(randomText(random, pieces, 16))) {
        const spans = new Profile(text).digitSpans();
        expect(hasUkInwardCode(text, spans), JSON.stringify(text)).toBe(UK_INWARD_CODE.test(text));
        expect(hasDigitUnderscoreDigit(text, spans), JSON.stringify(text)).toBe(/[0-9]_[0-9]/.test(text));
        PO_BOX.lastIndex = 0;
        if (PO_BOX.test(text)) {
          boxes++;
          expect(mayHavePoBox(text, spans), JSON.stringify(text)).toBe(true);
        }
      }
    }
    expect(boxes).toBeGreaterThan(200);
  });

  it('every built-in detector finds with the runs listed what it finds searching the whole text', () => {
    const random = seeded(73);
    const pieces = [
      ...digitPieces,
      'born ',
      'DOB: ',
      'date of birth ',
      'April ',
      'September. ',
      '12th',
      '1961-04-12',
      '04/12/1961',
      'my address is ',
      'lives at ',
      'ship to: ',
      'Main St',
      ' Street',
      'Apt 4B',
      'Springfield, IL 62704',
      'call ',
      '(415) 555-2671',
      '+44 20 7946 0958',
      'GB82 WEST 1234 5698 7654 32',
      '4111 1111 1111 1111',
      'aged ',
      ' years old',
      'P.O. Box ',
      'SW1A 1AA',
      'jane@example.com',
      ', ',
      '"',
      '\n',
      'Jane Doe',
      ' and ',
      ' '.repeat(40),
    ];
    let listed = 0;
    let findings = 0;
    for (let n = 0; n < 1500; n++) {
      for (const text of bothWays(randomText(random, pieces, 14))) {
        const profile = new Profile(text);
        if (profile.digitSpans()) listed++;
        const expected = searchedWhole(text);
        expect(findAll(text, profile), JSON.stringify(text)).toBe(expected);
        if (expected !== '') findings++;
      }
    }
    expect(listed).toBeGreaterThan(1000);
    expect(findings).toBeGreaterThan(1000);
  });

  it('birth and address words as far from the digits as they can be and still count', () => {
    const random = seeded(79);
    const words = ['born ', 'born', 'DOB', 'DOB: ', 'date of birth: ', 'my address is ', 'lives at ', 'ship to: ', 'address:   '];
    const tails = ['September. 12, 1961', 'April 1961', '12 April 1961', '1961-04-12', '19610412', '12 Main Street', '4111 1111 1111 1111', '5'];
    const gapPieces = ['x', 'ab', ' ', '  ', 'Lane ', 'of ', ':', '.', ',', '"', '_', '7'];
    let counted = 0;
    let listed = 0;
    for (let n = 0; n < 8000; n++) {
      let gap = '';
      // No gap at all a fifth of the time: `born5 April 1961`, `DOB1961-04-12` (no word end before the digit).
      const length = random() < 0.2 ? 0 : Math.floor(random() * 130);
      while (gap.length < length) gap += gapPieces[Math.floor(random() * (random() < 0.9 ? 4 : gapPieces.length))];
      // A break right before the word (`_` and a digit are word characters: `\b` must read them).
      const before = ['', ', ', '"', '\n', '_', '7', 'x'][Math.floor(random() * 7)];
      const fixed = ['DOB19610412', ' born19610412', '"DOB: 19610412', 'address:12 Main Street'];
      const middle = n < fixed.length ? fixed[n]! : `${before}${words[Math.floor(random() * words.length)]}${gap}${tails[Math.floor(random() * tails.length)]}`;
      const text = `${'Some prose here without numbers '.repeat(24)}${middle} and more prose after it, without numbers.`;
      const profile = new Profile(text);
      if (profile.digitSpans()) listed++;
      const expected = searchedWhole(text);
      expect(findAll(text, profile), JSON.stringify(middle)).toBe(expected);
      if (expected !== '') counted++;
    }
    expect(counted).toBeGreaterThan(500);
    expect(listed).toBeGreaterThan(7000);
    // At every distance around the reach, with a break (`,`) at every place between word and digit.
    const prose = 'Some prose here without numbers '.repeat(24);
    const far: Array<[string, string, number, number]> = [
      ['"born ', ' September. 12, 1961', 20, 50],
      ['_date of birth ', ' September. 12, 1961', 20, 50],
      ['"my address is ', ' 12 Main Street', 80, 130],
      ['\nlives at ', ' 12 Main Street', 80, 130],
    ];
    let farCounted = 0;
    for (const [word, tail, from, to] of far) {
      for (let gap = from; gap <= to; gap++) {
        for (let at = 0; at <= gap; at += 3) {
          const text = `${prose}${word}${'Abc '.repeat(gap).slice(0, at)},${'Abc '.repeat(gap).slice(0, gap - at)}${tail} and more prose.`;
          const profile = new Profile(text);
          const expected = searchedWhole(text);
          expect(findAll(text, profile), `${word} ${gap} ${at}`).toBe(expected);
          if (expected !== '') farCounted++;
        }
      }
    }
    expect(farCounted).toBeGreaterThan(300);
  });

  it('ages found near the digit runs are what the pattern finds searching the whole text', () => {
    const random = seeded(61);
    const pieces = [
      ...digitPieces,
      ' years old',
      '-year-old',
      ' y/o',
      'yo ',
      ' yrs old',
      '세',
      '살',
      '입니다',
      ' Jahre alt',
      ' ans',
      'aged ',
      'Age: ',
      'alter:',
      'turned ',
      'turning',
      'he was ',
      'They were ',
      'they were of ',
      'I am ',
      "I'm ",
      'she’s',
      '나이는 ',
      'of ',
      ' degrees',
      '%',
      '200',
      '.5',
    ];
    const reference = (text: string): Array<[number, number]> => {
      if (!/[0-9]/.test(text) || !hasAgeWords(text)) return [];
      const found: Array<[number, number]> = [];
      for (const match of text.matchAll(AGE)) {
        const value = match[2] ?? match[3]!;
        if (Number(value) > 130) continue;
        const offset = match[0].indexOf(value, match[2] ? 0 : match[0].length - value.length - 1);
        found.push([match.index + offset, match.index + offset + value.length]);
      }
      return found;
    };
    // A match that ends where the next run starts (`old7`), ones anchored on an earlier run, the longest reach.
    const cases = ['5 years old7 years old', 'aged 5 aged 6', 'they were of 42', 'he was 131 and 42 years old', '1,2 3.4 5 yo'];
    let ages = 0;
    for (let n = 0; n < 4000; n++) {
      for (const text of bothWays(n < cases.length ? cases[n]! : randomText(random, pieces, 12))) {
        const profile = new Profile(text);
        const found: Array<[number, number]> = [];
        if (ageDetector.mayContain(profile)) ageDetector.find(text, (start, end) => found.push([start, end]), profile);
        expect(found, JSON.stringify(text)).toEqual(reference(text));
        ages += found.length;
      }
    }
    expect(ages).toBeGreaterThan(500);
  });
});
