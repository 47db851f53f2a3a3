import { describe, expect, it } from 'vitest';
import { createMasker } from '@llm-otel/pii';

/**
 * Adversarial inputs aimed at each detector's pattern: long runs that a backtracking regex would
 * re-scan from every start position. Masking 1 MB must cost about ten times masking 100 KB; a
 * quadratic pattern would cost a hundred times. CPU time (not wall time) so a busy machine does not
 * decide the outcome; the best of three runs.
 */
const ADVERSARIAL: Record<string, (size: number) => string> = {
  'digits and spaces': (n) => '1 '.repeat(n / 2),
  'one digit run': (n) => '4'.repeat(n),
  'digits, dashes and dots': (n) => '12-34.56 '.repeat(n / 9),
  'at signs': (n) => 'a@'.repeat(n / 2),
  'local part without domain': (n) => `${'a'.repeat(n - 1)}@`,
  'dots after at': (n) => `a@${'b.'.repeat(n / 2 - 1)}`,
  'sk- tokens': (n) => 'sk-'.repeat(n / 3),
  'one long sk- token': (n) => `sk-proj-${'A'.repeat(n - 8)}`,
  'JWT prefixes': (n) => 'eyJaaaaaa.eyJ'.repeat(n / 13),
  'hex and colons': (n) => 'a:'.repeat(n / 2),
  'dotted numbers': (n) => '1.'.repeat(n / 2),
  'IBAN starts': (n) => 'DE89 '.repeat(n / 5),
  'bearer words': (n) => 'Bearer '.repeat(n / 7),
  'password assignments': (n) => 'password: '.repeat(n / 10),
  'plus and parentheses': (n) => '+1 (2'.repeat(n / 5),
  'AKIA prefixes': (n) => 'AKIA'.repeat(n / 4),
  'Korean text with digits': (n) => '주민번호 9001011234561 '.repeat(n / 19),
  'scheme separators': (n) => 'a://'.repeat(n / 4),
  'userinfo without end': (n) => `https://${'u:p@'.repeat(n / 4 - 2)}`,
  'one long authority': (n) => `https://${'a'.repeat(n - 8)}`,
  'query credential names': (n) => '?token=&'.repeat(n / 8),
  'equals signs': (n) => '='.repeat(n),
  'SQL password keywords': (n) => "PASSWORD '".repeat(n / 10),
  'SQL identified by': (n) => 'IDENTIFIED WITH x BY "'.repeat(n / 22),
  'secret flags': (n) => '--password '.repeat(n / 11),
  'dash runs': (n) => '-'.repeat(n),
  'backslash runs': (n) => '\\'.repeat(n),
  'JSON unicode escapes': (n) => 'a\\u0040b.co '.repeat(n / 13),
  'partial escapes': (n) => '\\u00%4'.repeat(n / 7),
  'percent escapes': (n) => 'x%40y%2e'.repeat(n / 8),
  'PEM armour without a label end': (n) => '-----BEGIN '.repeat(n / 11),
  'PEM private key begins': (n) => '-----BEGIN PRIVATE KEY-----'.repeat(n / 27),
  'Slack prefixes': (n) => 'xoxb-'.repeat(n / 5),
  // Issue 10: names, addresses, dates of birth, ages, ids, phones after a phone word, obfuscated forms.
  'capitalised words': (n) => 'Jane '.repeat(n / 5),
  'one long capitalised run': (n) => `J${'a'.repeat(n - 1)}`,
  'titles and context words': (n) => 'Dear Mr '.repeat(n / 8),
  'context words before lower-case names': (n) => 'With nina '.repeat(n / 10),
  'lists of names after context words': (n) => `founders: ${'Ann, '.repeat(n / 5 - 2)}`,
  'line starts': (n) => '\nnina'.repeat(n / 5),
  'name lines above house numbers': (n) => 'Ann Lee\n12 Main St\n'.repeat(n / 19),
  'capitalised lines without an address': (n) => 'Ann Lee\n'.repeat(n / 8),
  'a found name repeated': (n) => `my name is Maciej Borkowski. ${'Borkowski Maciej '.repeat(n / 17 - 2)}`,
  'numbers before house numbers': (n) => '1 2 3 12 Main Street '.repeat(n / 21),
  'house numbers and street words': (n) => '12 Main '.repeat(n / 8),
  'streets without an end': (n) => '12 Main Street, Springfield, '.repeat(n / 29),
  'address context words': (n) => 'address is 1 '.repeat(n / 13),
  'street words before numbers': (n) => 'Rue de la Paix '.repeat(n / 15),
  'Korean names and honorifics': (n) => '김민수 님 '.repeat(n / 6),
  'Korean road names': (n) => '서울특별시 강남구 테헤란로'.repeat(n / 14),
  'birth words': (n) => 'born 1 '.repeat(n / 7),
  'age words': (n) => 'aged 1 '.repeat(n / 7),
  'licence and passport words': (n) => 'passport DL 1234 '.repeat(n / 17),
  'phone words before numbers': (n) => 'tel 0491 57 03 22 '.repeat(n / 18),
  'full-width digits': (n) => '４'.repeat(n),
  'separator runs between digits': (n) => '1 - '.repeat(n / 4),
  'non-ASCII spaces': (n) => '1\u00a0'.repeat(n / 2),
  'non-ASCII e-mail letters': (n) => 'é@'.repeat(n / 2),
  // Issue 10 audit (pii10): the patterns added or widened then.
  'slashes between digits after a phone word': (n) => `tel ${'1/234 '.repeat(n / 6 - 1)}`,
  'slashes between digits': (n) => '1/2345 '.repeat(n / 7),
  'birthday words before months': (n) => '생일 3월 birthday March 1'.repeat(n / 25),
  'Korean ages': (n) => '42살이 42세 '.repeat(n / 9),
  'pronouns before numbers': (n) => "I'm 4 she is 5 ".repeat(n / 15),
  'barcode words before digits': (n) => 'EAN 5901234123457 '.repeat(n / 18),
  'Polish street prefixes': (n) => 'ul. Abc 1/2, 00-'.repeat(n / 16),
  'CamelCase words after context': (n) => 'Name: ValidationError '.repeat(n / 22),
  'script speaker lines': (n) => 'Ann: "hi"\n'.repeat(n / 10),
  'address headings over name lines': (n) => 'Billing address: Ann Lee\n'.repeat(n / 25),
  'name-is phrases in lower case': (n) => 'my name is ann '.repeat(n / 15),
  'particles between capitalised words': (n) => 'Ann van de la '.repeat(n / 14),
  'possessives before personal nouns': (n) => "Ann's address ".repeat(n / 14),
  'dates before 생': (n) => '1985.03.14생 '.repeat(n / 12),
  'Korean lots without 번지': (n) => '서울시 강남구 역삼동 1'.repeat(n / 13),
  'UK postcodes after capitalised words': (n) => 'Ann Lee, Mill Road, Ox OX1 4AB '.repeat(n / 31),
  'postcode words': (n) => 'zip code: 1 '.repeat(n / 12),
  'comma lists before and': (n) => `${'ann, '.repeat(n / 5 - 4)}and bo`,
  'many ands': (n) => 'ann, bo and '.repeat(n / 12),
  'ands without commas': (n) => `${'ann, '.repeat(4)}${'bo and '.repeat(n / 7 - 3)}`,
  // Issue 11, third pass: text with at most one digit in 32 characters, where the digit-anchored
  // detectors work from the listed digit runs and the birth and address words from the stretches before them.
  'birth words between sparse digits': (n) => 'born born born born born born born 1 '.repeat(n / 37),
  'address words between sparse digits': (n) => 'lives at lives at lives at address: 1 '.repeat(n / 38),
  'age words between sparse digits': (n) => 'aged of aged of they were of aged 12 '.repeat(n / 37),
  'phone and IBAN starts between sparse digits': (n) => '(+ (+ (+ (+ GB GB xx\\ x 12 3 '.repeat(n / 34),
};

function cpuMillis(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('masking time is linear in the input length', () => {
  const masker = createMasker();
  for (const [name, make] of Object.entries(ADVERSARIAL)) {
    it(name, () => {
      const small = make(100_000);
      const large = make(1_000_000);
      expect(large.length).toBeLessThanOrEqual(1_000_000);
      const smallMs = cpuMillis(() => masker.maskString(small));
      const largeMs = cpuMillis(() => masker.maskString(large));
      // A floor keeps timer granularity from deciding very fast cases.
      const ratio = largeMs / Math.max(smallMs, 2);
      console.log(`${name}: 100 KB ${smallMs.toFixed(1)} ms, 1 MB ${largeMs.toFixed(1)} ms, ratio ${ratio.toFixed(1)}`);
      expect(ratio).toBeLessThan(20);
    });
  }
});
