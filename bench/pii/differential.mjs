// Differential check of two builds of @llm-otel/pii: masks ~58,000 strings with both and fails on any
// difference in the masked text, the findings (`scan`), the attributes masked (keys included) or the
// tallies, under four option sets. For a change meant to make masking faster without changing it
// (issue 11): build main's packages/pii in another checkout, then
//   PII_EXTERNAL_SET=…/synth_dataset_v2.json node bench/pii/differential.mjs <other>/packages/pii/dist/index.js [scale]
// The strings: the committed corpora, the external set (both halves, when given), every string literal
// of the pii tests, detectors and adversarial tests, bench/pii's prompts and slices of its 1 MB
// attribute, secret-shaped values, 25,000 random strings of detector trigger pieces, 25,000 mutations
// of the corpus strings, and prose without personal data.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const [otherPath, scaleArg] = process.argv.slice(2);
if (!otherPath) throw new Error('usage: node bench/pii/differential.mjs <other build of packages/pii/dist/index.js> [scale]');
const SCALE = Number(scaleArg ?? 1);
const WT = fileURLToPath(new URL('../..', import.meta.url));
const A = await import(pathToFileURL(otherPath).href);
const B = await import(pathToFileURL(join(WT, 'packages/pii/dist/index.js')).href);
let seed = 12345;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = (a) => a[Math.floor(rnd() * a.length)];

const texts = [];
const add = (t) => {
  if (typeof t === 'string' && t.length > 0) texts.push(t);
};
// committed corpora
for (const f of ['corpus.jsonl', 'entities.jsonl'])
  for (const line of readFileSync(join(WT, 'test/pii-corpus', f), 'utf8').split('\n')) if (line.trim()) add(JSON.parse(line).text);
for (const f of ['clean-business.txt', 'clean-business-2.txt']) {
  const s = readFileSync(join(WT, 'test/pii-corpus', f), 'utf8');
  add(s);
  for (const l of s.split('\n')) add(l);
}
const nCorpus = texts.length;
// external set (both halves)
if (process.env.PII_EXTERNAL_SET) for (const item of JSON.parse(readFileSync(process.env.PII_EXTERNAL_SET, 'utf8'))) add(item.full_text);
const nExternal = texts.length - nCorpus;
// string literals in the pii tests and sources (context words, adversarial inputs)
const literals = [];
for (const dir of [join(WT, 'packages/pii/test'), join(WT, 'packages/pii/src/detectors'), join(WT, 'test/adversarial')]) {
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  } catch {
    continue;
  }
  for (const f of files) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/'((?:[^'\\\n]|\\.){2,400})'|"((?:[^"\\\n]|\\.){2,400})"|`((?:[^`\\$]|\\.){2,400})`/g)) {
      let s = m[1] ?? m[2] ?? m[3];
      try {
        s = JSON.parse('"' + s.replace(/\\'/g, "'").replace(/"/g, '\\"').replace(/\\`/g, '`') + '"');
      } catch {}
      literals.push(s);
    }
  }
}
for (const l of literals) add(l);
const nLiterals = literals.length;
// bench inputs
const bp = await import(pathToFileURL(join(WT, 'bench/pii/corpus.mjs')).href);
for (const p of [...bp.noPiiPrompts, ...bp.denseprompts]) add(p);
const oneMB = bp.oneMegabyteAttribute();
for (let i = 0; i < 20; i++) add(oneMB.slice(i * 50000, i * 50000 + 4000 + i * 97));
// secret-shaped values, generated (no key-shaped string is committed)
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (n, alphabet = BASE62) => Array.from({ length: n }, () => pick(alphabet)).join('');
const secrets = [];
for (let i = 0; i < 3; i++) {
  secrets.push(
    `sk-proj-${token(74)}T3BlbkFJ${token(74)}`,
    `sk-${token(20)}T3BlbkFJ${token(20)}`,
    `sk-ant-api03-${token(93)}AA`,
    `AKIA${token(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  );
  secrets.push(
    `ASIA${token(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
    `ghp_${token(36)}`,
    `github_pat_${token(22)}_${token(59)}`,
    `xoxb-${token(12, '0123456789')}-${token(24)}`,
    `glpat-${token(20)}`,
  );
  secrets.push(
    `hf_${token(34)}`,
    `npm_${token(36)}`,
    `sk_live_${token(24)}`,
    `AIza${token(35)}`,
    `eyJ${token(20)}.eyJ${token(30)}.${token(43)}`,
    `-----BEGIN PRIVATE KEY-----\n${token(64)}\n-----END PRIVATE KEY-----`,
  );
}
for (const v of secrets) {
  add(v);
  add(`key ${v} end`);
  add(`api_key=${v}`);
  add(`Authorization: Bearer ${v}`);
  add(`"password": "${v}"`);
  add(`sk-----BEGIN ${v}`);
  add(v.slice(0, Math.max(3, v.length >> 1)));
  add(v.toLowerCase());
}
// words for random strings
const names = [
  'Jane',
  'Doe',
  'John',
  'Smith',
  'Oswin',
  'Threlkeld',
  'Mr.',
  'Dr.',
  'Mrs',
  'Ms.',
  'Müller',
  'José',
  "O'Brien",
  'van',
  'de',
  'la',
  'Kim',
  '김민수',
  '이',
  '박지훈',
  '님',
  '고객님',
  'Anna',
  'Kasia',
  'Mike',
  'Tom',
  'Budget',
  'Name',
  'Street',
  'Main',
  'St.',
  'Ave',
  'Avenue',
  'Road',
  'Rd',
  'Lane',
  'Blvd',
  'tér',
  'utca',
  'ul.',
  'Rua',
  'gate',
  'Straße',
  'strasse',
  'Apt.',
  'Suite',
  '번지',
  '동',
  '구',
  '시',
  'Seoul',
  'Springfield',
  'IL',
  'CA',
  'NY',
  'Paris',
  'London',
  'OX1 4AB',
  'SW1A 1AA',
  '62704',
  '75008',
  '00-590',
  'Warszawa',
];
const words = [
  'the',
  'and',
  'born',
  'DOB',
  'dob:',
  'date of birth',
  'birthday',
  'age',
  'aged',
  'years old',
  'I am',
  "I'm",
  'she is',
  'he is',
  'Alter:',
  'ans',
  'Jahre alt',
  '살',
  '세',
  '생년월일',
  '생',
  '입니다',
  'phone',
  'tel',
  'call',
  'Telefon',
  'mobile',
  'fax',
  'ext.',
  'x',
  '연락처',
  '電話',
  'card',
  'card number',
  'maestro',
  'visa',
  'Amex',
  '카드',
  'passport',
  'license',
  "driver's license",
  'DL',
  '여권번호',
  'SSN',
  'social security',
  'IBAN',
  'account',
  'email',
  'address',
  'my name is',
  'name is',
  'lives at',
  'at',
  'on',
  'ref',
  'order',
  'ZIP',
  'postcode',
  'postal code',
  '우편번호',
  'password',
  'password=',
  'pwd:',
  'secret:',
  'api_key',
  'token=',
  'Bearer',
  'Authorization:',
  'sk-',
  'sk_live_',
  'AKIA',
  'ghp_',
  'eyJ',
  'xoxb-',
  'glpat-',
  'hf_',
  'npm_',
  '-----BEGIN',
  'PRIVATE KEY',
  'IDENTIFIED BY',
  '--password',
  'https://',
  'http://user:pass@',
  'postgres://',
  'mailto:',
  '@',
  '.com',
  '%40',
  '%2540',
  '\\u0040',
  '＠',
  '.',
  ',',
  ';',
  ':',
  '-',
  '/',
  '(',
  ')',
  '+',
  '#',
  '"',
  "'",
  '\n',
  '\t',
  '  ',
  '\u00a0',
  '\u2009',
  '\u202f',
  '\u3000',
  '\u200b',
  '’',
  '…',
  '😀',
  '𝐀',
  'İ',
  'K',
  'ǅ',
  'Ж',
  'Ω',
  'é',
  'ß',
];
const digitsP = () => {
  const n = 1 + Math.floor(rnd() * 19);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += Math.floor(rnd() * 10);
    if (rnd() < 0.2) s += pick([' ', '-', '.', '_', '', '/', ' - ']);
  }
  return s;
};
const fixed = [
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  '4111_1111_1111_1111',
  '４１１１１１１１１１１１１１１１',
  '378282246310005',
  '5555-5555-5555-4444',
  '213112345678904',
  '501234567896',
  '6759 6498 2648',
  '536-22-1049',
  '123 - 45 - 6789',
  '900101-1234568',
  '010-1234-5678',
  '+1 415-555-2671',
  '(415) 555-2671',
  '415.555.2671',
  '+44 20 7946 0958',
  '030/12345678',
  '098765 43210',
  '+49 30 123456',
  '0491 57 03 22',
  '03-1234-5678',
  '203.0.113.42',
  '2001:db8::8a2e:370:7334',
  '::1',
  'DE89 3704 0044 0532 0130 00',
  'GB82WEST12345698765432',
  '1985-03-14',
  '14-Mar-1985',
  '03/14/1985',
  '85.03.14',
  '850314',
  'March 14, 1985',
  '14 March',
  '3월 14일',
  '1985.03.14',
  'D1234567',
  'A123-4567-8901',
  'X12345678',
  'M12345678',
  'jane.doe@example.com',
  'jürgen@müller.de',
  'jane@xn--mller-kva.de',
  'ops@example.org',
  'a@b',
  '42',
  '100%',
  '3 people',
  '1.2 million',
  '4.2.1',
  '$129.99',
  '10:30',
  '2024',
  'Q3',
];
function randomText() {
  const n = 1 + Math.floor(rnd() * 30);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rnd();
    if (r < 0.03) {
      s += pick(secrets) + ' ';
      continue;
    }
    const piece = r < 0.25 ? pick(names) : r < 0.55 ? pick(words) : r < 0.7 ? digitsP() : r < 0.85 ? pick(fixed) : (pick(literals) ?? '');
    s += piece + (rnd() < 0.7 ? ' ' : pick(['', ', ', '. ', '\n', ': ', '-', '"']));
  }
  return s;
}
const base = texts.slice();
const nRandom = Math.round(25000 * SCALE);
for (let i = 0; i < nRandom; i++) add(randomText());
// mutations of corpus strings
function mutate(t) {
  let s = t;
  const k = 1 + Math.floor(rnd() * 4);
  for (let j = 0; j < k; j++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const r = rnd();
    if (r < 0.15) s = s.slice(0, at) + (s[at] === s[at]?.toUpperCase() ? (s[at] ?? '').toLowerCase() : (s[at] ?? '').toUpperCase()) + s.slice(at + 1);
    else if (r < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 3));
    else if (r < 0.45) s = s.slice(0, at) + pick([...words, ...names, ...fixed]) + s.slice(at);
    else if (r < 0.55) s = s.slice(0, at) + (s[at + 1] ?? '') + (s[at] ?? '') + s.slice(at + 2);
    else if (r < 0.65) s = s.slice(at) || s;
    else if (r < 0.75) s = s.slice(0, at) || s;
    else if (r < 0.85) s = s.toLowerCase();
    else if (r < 0.9) s = s.toUpperCase();
    else s = s + ' ' + pick(base);
  }
  return s;
}
const nMut = Math.round(25000 * SCALE);
for (let i = 0; i < nMut; i++) add(mutate(pick(base)));
// texts with no PII at all: English prose without digits or capitals, and code
const prose = 'the quick brown fox jumps over a lazy dog while we wait for the build to finish and then deploy it to production after review'.split(' ');
// The same strings inside enough prose that they have at most one digit in 32 characters: there the
// detectors anchored at digits try their patterns only at the digit runs (issue 11, third pass), where
// most strings above, short and number-rich, are searched whole.
const inProse = (t) => {
  const digits = t.replace(/[^0-9]/g, '').length;
  let before = '';
  while (before.length < 20 * digits + 8) before += pick(prose) + ' ';
  let after = ' ';
  while (after.length < 20 * digits + 8) after += pick(prose) + ' ';
  return before + t + after;
};
const nBare = texts.length;
for (let i = 0; i < nBare; i++) if (i < nCorpus + nExternal + nLiterals || rnd() < 0.2) add(inProse(texts[i]));
const nInProse = texts.length - nBare;
for (let i = 0; i < 3000 * SCALE; i++) {
  let s = '';
  const n = 5 + Math.floor(rnd() * 300);
  for (let j = 0; j < n; j++) s += pick(prose) + (rnd() < 0.1 ? '. ' : ' ');
  add(i % 2 ? s : s.replace(/(^|\. )(\w)/g, (m, a, b) => a + b.toUpperCase()));
}
// bench/export messages
// bench/export's span mix: its messages, and its spans' attributes (below)
const { llmSpanAttributes } = await import(pathToFileURL(join(WT, 'bench/export/throughput.mjs')).href);
const spanMix = Array.from({ length: 300 }, (_, i) => llmSpanAttributes(i));
for (const attributes of spanMix) {
  add(attributes['gen_ai.input.messages']);
  add(attributes['gen_ai.output.messages']);
}
console.log(
  `strings: ${texts.length} (corpus ${nCorpus}, external ${nExternal}, literals ${nLiterals}, random ${nRandom}, mutated ${nMut}, in prose ${nInProse})`,
);

const configs = [
  ['default', {}],
  ['phoneRegions', { phoneRegions: ['US', 'KR', 'GB', 'DE', 'JP', 'IN', 'BR', 'FR', 'AU'] }],
  ['limits+mask', { valueLengthLimits: [64], operator: 'mask', scanNumbers: true }],
  ['disabled', { disabledTypes: ['PERSON', 'STREET_ADDRESS'] }],
];
let diffs = 0;
const show = (what, t, a, b) => {
  if (diffs++ < 15)
    console.log(`DIFF ${what}: ${JSON.stringify(t).slice(0, 300)}\n  other: ${JSON.stringify(a).slice(0, 300)}\n  this:  ${JSON.stringify(b).slice(0, 300)}`);
};
const ser = (tally) => `${tally.count}|${[...tally.types].sort().join(',')}`;
let tA = 0,
  tB = 0;
for (const [name, options] of configs) {
  const ma = A.createMasker(options),
    mb = B.createMasker(options);
  const ta = { count: 0, types: new Set() },
    tb = { count: 0, types: new Set() };
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    let s = performance.now();
    const oa = ma.maskString(t, undefined, ta);
    tA += performance.now() - s;
    s = performance.now();
    const ob = mb.maskString(t, undefined, tb);
    tB += performance.now() - s;
    if (oa !== ob) show(`${name} maskString`, t, oa, ob);
    if (name === 'default') {
      const fa = JSON.stringify(ma.scan(t)),
        fb = JSON.stringify(mb.scan(t));
      if (fa !== fb) show('scan', t, fa, fb);
    }
    if (i % 7 === 0) {
      // as attributes: value under several keys, key itself masked, arrays
      const attrs = {
        'gen_ai.input.messages': t,
        'url.full': t,
        'server.address': t,
        [t.slice(0, 60)]: 1,
        'process.command_args': ['--password', t.slice(0, 20), t],
        'gen_ai.usage.input_tokens': 12,
      };
      const aa = JSON.stringify(ma.maskAttributes(attrs, ta, { peerIsServer: i % 2 === 0 })),
        ab = JSON.stringify(mb.maskAttributes(attrs, tb, { peerIsServer: i % 2 === 0 }));
      if (aa !== ab) show(`${name} maskAttributes`, t, aa, ab);
    }
  }
  if (ser(ta) !== ser(tb)) show(`${name} tally`, '', ser(ta), ser(tb));
}
for (const attributes of spanMix) {
  const ma = A.createMasker(),
    mb = B.createMasker();
  const ta = { count: 0, types: new Set() },
    tb = { count: 0, types: new Set() };
  const oa = JSON.stringify(ma.maskAttributes(attributes, ta, { peerIsServer: true })),
    ob = JSON.stringify(mb.maskAttributes(attributes, tb, { peerIsServer: true }));
  if (oa !== ob || ser(ta) !== ser(tb)) show('span mix', '', oa, ob);
}
// the 1 MB attribute whole
{
  const ma = A.createMasker(),
    mb = B.createMasker();
  if (ma.maskString(oneMB) !== mb.maskString(oneMB)) show('1MB', '', '', '');
}
console.log(`${diffs} differences; time: other build ${tA.toFixed(0)} ms, this one ${tB.toFixed(0)} ms`);
process.exit(diffs ? 1 : 0);
