import type { Detector } from '../detector';
import { isFamilyName, isFirstName, isKoreanFamilyName, isKoreanGivenName } from '../lexicon';
import { keywordBefore } from './boundaries';

/**
 * Names of people, by gazetteer and context (the light engine: no model, linear time, synchronous).
 *
 * Latin script: a run of up to four capitalised words is scored, Presidio-style: a known first name
 * followed by another capitalised word 0.85, a title before it (`Mr`, `Dr`, `Frau`, …) 0.9, a known
 * family name after a capitalised word 0.6, a known first name alone 0.5; a context word before it
 * (`name is`, `dear`, `patient`, `customer`, …) adds 0.35, and a capitalised run after such a word
 * counts even when neither word is in the gazetteer. A word that names an organisation or a place
 * (`Inc`, `Bank`, `Street`, `University`) after the run lowers the score by 0.6. Reported at ≥ 0.5.
 *
 * Korean: a family name syllable followed by a given name of one or two syllables, when the given name
 * is in the gazetteer, an honorific follows (`님`, `씨`, `고객님`, `선생님`, `과장`, …), or a context
 * word comes before it (`이름`, `성명`, `고객`, `담당자`, `환자`, `예금주`, …).
 */
// Capitalised words (`Jane`, `O'Neil`, `McKay`, `Anne-Marie`, `Müller`) joined by single spaces, with
// middle initials (`John F. Kennedy`). One word per step and no nested choice, so linear.
// Between words one or two spaces, and the lower-case particles of family names (`Willemine ten Pas`,
// `Ludwig van Beethoven`, `Charles de Gaulle`, `María de la Cruz`).
const NAME_PARTICLE = String.raw`(?:(?:van|von|de|da|di|del|della|der|den|ten|ter|du|dos|das|le|la|bin|al)(?: (?:der|den|la|los|las))? )?`;
const CAPITALISED_RUN_BODY = String.raw`[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])(?: {1,2}${NAME_PARTICLE}(?:\p{Lu}\.? )?\p{Lu}[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])){0,3}`;
const CAPITALISED_WORD_BODY = String.raw`[\p{Ll}\p{M}'’]+(?:\p{Lu}[\p{Ll}\p{M}'’]+)?(?![\p{L}\p{N}])`;

/**
 * A capitalised word not glued to a letter, digit or `_@./\-` before it: written
 * `(?<![\p{L}\p{N}_@./\\-])\p{Lu}…`, the engine tests that lookbehind, a class of every letter and digit
 * in Unicode, before every character of the text. The same match with the capital tested first and the
 * lookbehind only after it: on text with a character above U+00FF (Hangul, `’`, an emoji: the engine
 * then reads the string as two-byte and its classes as range searches) that pass cost 47 µs per 2 KB
 * prompt and this one 28, 11.5 with the ASCII capitals tested before the Unicode class (`wide`); on
 * Latin-1 text the plain form is the fast one (0.78 vs 0.85 µs per KB before, bench/pii prompts,
 * measured). Differential test: test/fast-paths.test.ts.
 */
export function capitalisedPattern(body: string): { readonly latin1: RegExp; readonly wide: RegExp } {
  return new CapitalisedPattern(body);
}

const NOT_GLUED = String.raw`(?<=(?<![\p{L}\p{N}_@./\\-])\p{Lu})`;

/**
 * Each form is made at its first use (issue 11, start-up): the four of CAPITALISED_RUN and
 * CAPITALISED_WORD took 4-6 ms to construct when the package loaded (V8 parses a pattern when it is
 * made, and these hold Unicode classes), and the resource masked at set-up needs one of them at most.
 */
class CapitalisedPattern {
  #latin1: RegExp | undefined;
  #wide: RegExp | undefined;

  constructor(private readonly body: string) {}

  get latin1(): RegExp {
    return (this.#latin1 ??= new RegExp(String.raw`\p{Lu}${NOT_GLUED}${this.body}`, 'gu'));
  }

  get wide(): RegExp {
    return (this.#wide ??= new RegExp(String.raw`(?:[A-Z]|(?=[^\x00-\x7f])\p{Lu})${NOT_GLUED}${this.body}`, 'gu'));
  }
}
export const CAPITALISED_RUN = capitalisedPattern(CAPITALISED_RUN_BODY);
export const CAPITALISED_WORD = capitalisedPattern(CAPITALISED_WORD_BODY);
/** A character above U+00FF: the text is two-byte, and the `wide` forms are the fast ones. */
const BEYOND_LATIN1 = /[^\x00-\xff]/;
const HANGUL_RUN = /[가-힣]{2,}/g;

const TITLES = new Set([
  'Mr',
  'Mrs',
  'Ms',
  'Miss',
  'Mx',
  'Dr',
  'Prof',
  'Sir',
  'Dame',
  'Madam',
  'Herr',
  'Frau',
  'Mme',
  'Mlle',
  'Monsieur',
  'Madame',
  'Sr',
  'Sra',
  'Signor',
  'Signora',
  'Dhr',
  'Mevr',
]);
// Words that start sentences or name things; never the first word of a name.
const NOT_NAME_WORDS = new Set(
  `The A An This That These Those It Its I I'm I’m I'll I've I'd We You He She They My Our Your His Her Their Me Us Him Them
  Please Thanks Thank Hi Hello Hey Dear Regards Best Cheers Sincerely Yes No Not And Or But If When Then
  So As At By For From In Into On Of To With Without About After Before Since Until While Where What Which
  Who Why How Is Are Was Were Be Been Can Could Should Would Will Shall May Might Must Do Does Did Have Has
  Had Let Make Use Get Set Add Show Tell Ask Send Call Check Find Give Keep Help Note Here There Also Just
  Only All Any Some Each Every Many Much More Most Other Such New Old First Last Next Today Tomorrow
  Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June
  July August September October November December Customer Patient Client User Name Names Order Invoice
  Account Ticket Team Support Admin Manager Agent Model Version Error Warning Total Price Street Road
  Avenue City State Country Inc Ltd LLC Corp Company Bank University Hospital Hotel Airport Station
  Mr Mrs Ms Dr Prof Sir Title Subject Re Fwd Summary Translate Summarise Summarize Review Refund Update
  Cancel Confirm Contact Signed Attn Ref Tel Phone Email Mail Address Date Born Age Dob Passport Card
  Visa Mastercard Amex Discover Maestro Line Lines Social Security London Paris Berlin Seoul Tokyo Google
  Amazon Apple Microsoft Windows Linux Python Java Node Chrome Safari Android Excel Word Slack Zoom
  Claude Gemini Gemma Llama Mistral Grok Alexa Siri Cortana Jasper Copilot Devin Sonnet Opus Haiku
  Porsche Mercedes Dell Harley Swift Jenkins Helm Kafka Redis Rust`.split(/\s+/),
);
const NOT_NAME_AFTER = new Set(
  `Inc Ltd LLC LLP PLC Corp Corporation Co Company Group Holdings Bank Capital Partners Foundation Institute
  University College School Academy Hospital Clinic Center Centre Hotel Airport Station Church Museum Park
  Street St Avenue Ave Road Rd Lane Ln Drive Dr Boulevard Blvd Way Court Ct Place Square Plaza Highway
  Bridge River Lake Mountain County City State Province Republic Kingdom Island Islands Valley Beach Gardens
  Technologies Systems Software Labs Studios Media Services Solutions Pharmaceuticals Motors Airlines
  Operations Department Dept Division Office Team Teams Mode Portal Report Review Meeting Plan Project Program
  Programme Platform Service Engineering Marketing Sales Finance Legal Product Products Edition Series Desk
  Lamp Chair Armchair Table Sofa Backpack Headphones Speaker Speakers Bottle Jacket Shoes Orchestra Band
  Associates Law Firm Agency`.split(/\s+/),
);
const NAME_CONTEXT = [
  'name is',
  'name?',
  'your name',
  'name:',
  'name -',
  'named',
  'called',
  "i'm ",
  'i am ',
  'this is ',
  'dear ',
  'hi ',
  'hello ',
  'hey ',
  'thanks,',
  'regards,',
  'sincerely,',
  'cheers,',
  'best,',
  'patient',
  'customer',
  'client',
  'contact',
  'signed',
  'attn',
  'tenant',
  'applicant',
  'employee',
  'cardholder',
  'beneficiary',
  'recipient',
  'passenger',
  'guest',
  'member',
  'user ',
  'spoke with',
  'spoke to',
  'talked to',
  'assigned to',
  'from:',
  'to:',
  'cc:',
  'by ',
  'first name',
  'last name',
  'surname',
  'full name',
  'founders',
  'founder',
  'producer',
  'director',
  'directed by',
  'written by',
  'author',
  'says ',
  'said ',
  'under ',
  'assistant to',
  'meet ',
  'met ',
  'with ',
  'ask for ',
  'mr',
  'mrs',
  'ms.',
  'dr.',
  'son',
  'daughter',
  'wife',
  'husband',
  'mother',
  'father',
  'nom',
  'nombre',
  'nome',
  // Kinship, friendship and the arts: a name follows them as often as a title (issue 10 audit, names
  // outside the gazetteers; with the adjacency rule below, an unknown run must come right after one).
  'kid',
  'child',
  'brother',
  'sister',
  'cousin',
  'uncle',
  'aunt',
  'nephew',
  'niece',
  'grandson',
  'granddaughter',
  'grandmother',
  'grandfather',
  'friend',
  'colleague',
  'neighbour',
  'neighbor',
  'fiancé',
  'fiancée',
  'girlfriend',
  'boyfriend',
  'songwriter',
  'singer',
  'actor',
  'actress',
  'tribute to',
  'named him',
  'named her',
  'follow up with',
];

// Words after a run that say it is a person: "Tilly Nicholson lives at", "Jane's", "Jane said".
const NAME_CONTEXT_AFTER =
  /^(?:'s\b|’s\b| (?:lives|lived|said|says|told|wrote|explained|asked|called|was born|is from|will be|had|has|spent|works|worked|joined|signed|replied|emailed|agreed))/;

// Context that on its own makes a single unknown capitalised word a name ("Dear Qorvath").
const STRONG_CONTEXT =
  /\b(?:name is|name:|name\?|named|called|calls me|call me|i'm|i am|this is|dear|hi|hello|hey|thanks,|regards,|sincerely,|cheers,|first name|last name|surname|full name|says|said|(?:my|our|his|her|their) (?:kid|child|son|daughter|brother|sister|wife|husband|friend|colleague|cousin|uncle|aunt|nephew|niece|grandson|granddaughter|mother|father|mom|dad|boss|neighbou?r|partner|fiancée?|girlfriend|boyfriend))[\s.:,?-]*$/;
// Titles count as written, with a capital: "400 ms. Budget stays" is a unit, not "Ms. Budget" (every
// clean prompt of bench/pii had "Budget" masked that way).
// A title in lower case counts with its dot and not after a number (`with ms. Quinzia`, not `400 ms. Budget`).
const TITLE_BEFORE = /(?:\b(?:M[Rr][Ss]?|M[Ss]|D[Rr])[\s.:,?-]*|(?<![0-9][ .]?)\b(?:mrs?|ms|dr)\. ?)$/;

/** Whether a strong context word (or a title) ends right before `at`; `lower` is `text` lower-cased. */
function strongContextBefore(text: string, lower: string, at: number): boolean {
  const from = Math.max(0, at - 24);
  return STRONG_CONTEXT.test(lower.slice(from, at)) || TITLE_BEFORE.test(text.slice(from, at));
}
// Verbs after a single unknown word that make it a person: "Mehrudin shouted", "Dzhambek is from".
// Also what only a person has or does: `Matej's address`, `roberto's daughter`, `Ley grew up`.
const STRONG_AFTER =
  /^(?: (?:lives|lived|said|says|told|wrote|explained|asked|replied|shouted|is from|was born|grew up|was raised|graduated|married|passed away)\b|['’]s (?:address|daughter|son|wife|husband|mother|father|brother|sister|birthday|phone number|date of birth|maiden name)\b)/;
const STRONG_AFTER_WINDOW = 24;
// Whole words only: "author" is context, "authorization" is not.
const NAME_CONTEXT_PATTERN = new RegExp(`\\b(?:${NAME_CONTEXT.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![a-z])`);

// The context word ends the text before the run, but for separators and one article or pronoun.
const CONTEXT_RIGHT_BEFORE = new RegExp(`${NAME_CONTEXT_PATTERN.source}[\\s:,.'"“”‘’()\\-]*(?:(?:the|a|an|my|our|your|his|her|their) )?$`);

const SCORE_THRESHOLD = 0.5;
const CONTEXT_BOOST = 0.35;
const PLACE_PENALTY = 0.6;

function words(run: string): Array<{ word: string; start: number }> {
  const result: Array<{ word: string; start: number }> = [];
  let start = 0;
  for (let i = 0; i <= run.length; i++) {
    if (i < run.length && run.charCodeAt(i) !== 32) continue;
    if (i > start) result.push({ word: run.slice(start, i), start });
    start = i + 1;
  }
  return result;
}

/** The ASCII word before `index` (skipping one space and a dot), for titles. */
function wordBefore(text: string, index: number): string {
  let end = index;
  if (text.charCodeAt(end - 1) === 32) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  let start = end;
  while (start > 0 && start > end - 12) {
    const c = text.charCodeAt(start - 1) | 32;
    if (c < 97 || c > 122) break;
    start--;
  }
  return text.slice(start, end);
}

const withoutDot = (word: string): string => (word.endsWith('.') ? word.slice(0, -1) : word);
/**
 * A code identifier in CamelCase (`ValidationError`, `TypeError`, `JavaScript`): four letters or more
 * before the inner capital. Names with one have a short prefix (`McKay`, `MacDonald`, `DiCaprio`,
 * `LaToya`, `DeShawn`), except `Fitz`.
 */
const CODE_WORD = /^\p{Lu}\p{Ll}{3,}\p{Lu}/u;
const isCodeWord = (word: string): boolean => CODE_WORD.test(word) && !word.startsWith('Fitz');
const notNameWord = (word: string): boolean => NOT_NAME_WORDS.has(word) || isCodeWord(word);
const isPossessive = (word: string): boolean => word.endsWith("'s") || word.endsWith('’s');

function findLatin(text: string, lower: string, wide: boolean, report: (start: number, end: number) => void): void {
  const capitalisedRun = wide ? CAPITALISED_RUN.wide : CAPITALISED_RUN.latin1;
  capitalisedRun.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = capitalisedRun.exec(text)) !== null) {
    const run = match[0];
    // Most runs are one capitalised word ("The", "Please", a product): decided without splitting.
    if (!run.includes(' ')) {
      const start = match.index;
      const word = isPossessive(run) ? run.slice(0, -2) : run;
      if (NOT_NAME_WORDS.has(word) || TITLES.has(word)) continue;
      if (!isFirstName(word) && !isFamilyName(word) && !TITLES.has(wordBefore(text, start))) {
        const end = start + word.length;
        // The code-identifier test last: most single words are decided before it.
        if ((strongContextBefore(text, lower, start) || STRONG_AFTER.test(text.slice(end, end + STRONG_AFTER_WINDOW))) && !isCodeWord(word)) report(start, end);
        continue;
      }
      if (isCodeWord(word)) continue;
    }
    let list = words(run);
    // Leading words that cannot start a name ("Please", "The") are dropped; so are place words inside.
    let skip = 0;
    while (skip < list.length && (notNameWord(list[skip]!.word) || TITLES.has(withoutDot(list[skip]!.word)))) skip++;
    const title = skip > 0 && TITLES.has(withoutDot(list[skip - 1]!.word));
    list = list.slice(skip);
    const cut = list.findIndex((w) => NOT_NAME_AFTER.has(w.word) || notNameWord(w.word));
    const placeAfter = cut !== -1 && NOT_NAME_AFTER.has(list[cut]!.word);
    if (cut !== -1) list = list.slice(0, cut);
    if (list.length === 0) continue;
    // "Jane's", "Faina D. Yefremova's Caution": the name ends at the possessive, without it.
    const possessive = list.findIndex((w) => isPossessive(w.word));
    if (possessive !== -1) {
      list = list.slice(0, possessive + 1);
      const owner = list[possessive]!;
      list[possessive] = { word: owner.word.slice(0, -2), start: owner.start };
    }
    const start = match.index + list[0]!.start;
    const last = list[list.length - 1]!;
    const end = match.index + last.start + last.word.length;
    const first = list[0]!.word;

    // A single word that no list knows, without a title, needs a strong context word: tested first,
    // since most capitalised words in prose are that (a third of this detector's time, measured).
    if (!title && list.length === 1 && !isFirstName(first) && !isFamilyName(first)) {
      if ((strongContextBefore(text, lower, start) || STRONG_AFTER.test(text.slice(end, end + STRONG_AFTER_WINDOW))) && !TITLES.has(first)) report(start, end);
      continue;
    }
    let score = 0;
    if (title || TITLES.has(wordBefore(text, start))) score = 0.9;
    else if (isFirstName(first) && list.length >= 2) score = 0.85;
    else if (list.length >= 2 && isFamilyName(last.word)) score = 0.6;
    else if (list.length === 3 && /^\p{Lu}\.?$/u.test(list[1]!.word))
      score = 0.8; // "Faina D. Yefremova"
    else if (isFirstName(first)) score = 0.5;
    else if (list.length === 1 && isFamilyName(first)) score = 0.3; // "founders: Morrison" needs its context word
    const before = lower.slice(Math.max(0, start - 24), start);
    const contextAfter = NAME_CONTEXT_AFTER.test(text.slice(end, end + 16));
    const context = NAME_CONTEXT_PATTERN.test(before) || contextAfter;
    // A run no gazetteer knows needs its context word right before it (`customer Yusuf Demirtaş`) or a
    // verb after it: a word further back belongs to another phrase (`the Customer Portal adds Dark Mode`).
    const adjacent = contextAfter || CONTEXT_RIGHT_BEFORE.test(before);
    if (context)
      score = score === 0 && adjacent && (list.length >= 2 || strongContextBefore(text, lower, start)) ? 0.5 : score === 0 ? 0 : score + CONTEXT_BOOST;
    // "Apollo 11", "M3 Max 2": a name is not followed by a number, a product or a mission is.
    if (placeAfter || /^ [0-9]/.test(text.slice(end, end + 2))) score -= PLACE_PENALTY;
    if (score >= SCORE_THRESHOLD) report(start, end);
  }
}

const NAME_CONTEXT_GLOBAL = new RegExp(`${NAME_CONTEXT_PATTERN.source}[\\s:,\\-"]*`, 'g');
const LOWER_WORD = /^[\p{Ll}][\p{Ll}\p{M}'’-]+/u;
const LIST_OF_NAMES = /^\p{Lu}[\p{Ll}\p{M}'’-]+(?:(?:, | and | & )\p{Lu}[\p{Ll}\p{M}'’-]+){1,5}/u;
const capitalise = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
const NAME_IS_BEFORE = /\b(?:my name is|name is|name's|calls? me|i'm called|i am called)[\s:]*$/;

/**
 * What the capitalised-run rule cannot see: a name written in lower case (`with patricia desrosiers`,
 * `naomi ryan` at the start of a line) when the first word is a gazetteer first name, after a context
 * word or at the start of a line; and a list of names after a context word (`founders: Morrison,
 * Rogers and Torres`). Runs only at context words and line starts, not at every word.
 */
function findLowerCaseAndLists(text: string, lower: string, report: (start: number, end: number) => void): void {
  const lowerNameAt = (at: number): void => {
    const first = LOWER_WORD.exec(text.slice(at, at + 30));
    if (!first) return;
    // After `my name is` any word is the name (`my name is vitoria`), but for ordinary words.
    if (!isFirstName(capitalise(first[0])) && !(NAME_IS_BEFORE.test(lower.slice(Math.max(0, at - 16), at)) && !NOT_NAME_WORDS.has(capitalise(first[0]))))
      return;
    let end = at + first[0].length;
    const second = text.charCodeAt(end) === 32 ? LOWER_WORD.exec(text.slice(end + 1, end + 31)) : null;
    if (
      second &&
      (isFamilyName(capitalise(second[0])) ||
        NAME_CONTEXT_AFTER.test(text.slice(end + 1 + second[0].length, end + 17 + second[0].length)) ||
        /^(?:['’]s|[\n.,!?]|$| but\b| and\b)/.test(text.slice(end + 1 + second[0].length, end + 5 + second[0].length)))
    ) {
      end += 1 + second[0].length;
      if (/['’]s$/.test(second[0])) end -= 2;
    } else if (!second && !NAME_CONTEXT_AFTER.test(text.slice(end, end + 16)) && !/^[\n.,!?]/.test(text.slice(end, end + 1)) && at !== 0) {
      // A lone lower-case first name needs a strong context word before it ("hi nina,").
      if (!strongContextBefore(text, lower, at)) return;
    }
    report(at, end);
  };
  NAME_CONTEXT_GLOBAL.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = NAME_CONTEXT_GLOBAL.exec(lower)) !== null) {
    const at = match.index + match[0].length;
    const list = LIST_OF_NAMES.exec(text.slice(at, at + 120));
    if (list) {
      let offset = 0;
      for (const name of list[0].split(/, | and | & /)) {
        offset = list[0].indexOf(name, offset);
        if (!NOT_NAME_WORDS.has(name) && !NOT_NAME_AFTER.has(name)) report(at + offset, at + offset + name.length);
        offset += name.length;
      }
    } else {
      lowerNameAt(at);
    }
  }
  for (let line = 0; line !== -1 && line < text.length; line = text.indexOf('\n', line)) {
    if (text.charCodeAt(line) === 10) line++;
    lowerNameAt(line);
  }
}

/*
 * A list of three or more single words (`tom, anna, kasia and mike`, `Matheus, Janet, Nicholas and
 * Terri`) where most are gazetteer first names: the others are names too, in either case. Anchored at
 * each ` and ` / ` & `; the list before it is read backwards over at most eight `, ` separated words, so
 * each anchor costs a bounded slice: linear.
 */
const LIST_WORD = /^[\p{L}][\p{Ll}\p{M}'’-]+$/u;
const MAX_LIST_WORDS = 8;

// One pass for both joins: two `indexOf` loops cost 12 % of this detector on two-byte text (measured).
const LIST_JOIN = / (?:and|&) /g;

function findNameLists(text: string, report: (start: number, end: number) => void): void {
  LIST_JOIN.lastIndex = 0;
  for (let join = LIST_JOIN.exec(text); join !== null; join = LIST_JOIN.exec(text)) listAt(text, join.index, join[0].length, report);
}

const isListStop = (c: number): boolean => c === 32 || c === 44 || c === 10 || c === 9 || c === 13;

function listAt(text: string, at: number, joinLength: number, report: (start: number, end: number) => void): void {
  // Most ` and `s join clauses, not a list: a `, ` within a word's length before it is needed first,
  // looked for in that stretch only (`lastIndexOf` from the anchor scanned back to the start of the
  // text when there was none: quadratic on `bo and bo and …`, caught by linear-time.test.ts).
  if (!text.slice(Math.max(0, at - 42), at).includes(', ')) return;
  const after = /^[\p{L}][\p{Ll}\p{M}'’-]+/u.exec(text.slice(at + joinLength, at + joinLength + 40));
  if (!after) return;
  const members: Array<[number, number]> = [[at + joinLength, at + joinLength + after[0].length]];
  let end = text.charCodeAt(at - 1) === 44 ? at - 1 : at; // an Oxford comma
  while (members.length <= MAX_LIST_WORDS) {
    let start = end;
    while (start > 0 && start > end - 40 && !isListStop(text.charCodeAt(start - 1))) start--;
    if (start === end || !LIST_WORD.test(text.slice(start, end))) break;
    members.unshift([start, end]);
    if (text.slice(start - 2, start) !== ', ') break;
    end = start - 2;
  }
  if (members.length < 3) return;
  // `Clark, Romero and Hall Orchestra`, `Barnett, Melton and Garcia LLP`: a firm named after people.
  const next = /^ (\p{Lu}\p{L}+)/u.exec(text.slice(members[members.length - 1]![1], members[members.length - 1]![1] + 20));
  if (next && NOT_NAME_AFTER.has(next[1]!)) return;
  const words = members.map(([s, e]) => capitalise(text.slice(s, e)));
  if (words.some((word) => NOT_NAME_WORDS.has(word) || NOT_NAME_AFTER.has(word))) return;
  const known = words.filter((word) => isFirstName(word)).length;
  if (known * 2 < words.length + 1) return;
  for (const [s, e] of members) report(s, e);
}

const KO_HONORIFICS = ['님', '씨', '고객', '선생', '교수', '대표', '과장', '부장', '차장', '대리', '팀장', '사장', '원장', '환자', '학생', '군', '양'];
// Words that look like a family name plus a given name before an honorific ("고객님", "부장님").
const KO_NOT_NAMES = new Set([
  '고객',
  '선생',
  '사장',
  '부장',
  '과장',
  '차장',
  '대리',
  '팀장',
  '원장',
  '회장',
  '기사',
  '사모',
  '교수',
  '대표',
  '환자',
  '학생',
  '주인',
  '손님',
  '여러분',
  '아드님',
  '따님',
  '하느님',
  '부처님',
  '선배',
  '후배',
  '동생',
  '형님',
  '언니',
  '오빠',
  '누나',
  '소장',
  '국장',
  '실장',
  '이사',
  '상무',
  '전무',
  '반장',
  '조장',
  '간호사',
  '의사',
  '변호사',
  '연락처',
  '이메일',
  '주소지',
  '전화',
  '안녕',
  '감사',
  '문의',
  '확인',
  '배송',
  '주문',
  '결제',
  '카드',
  '계좌',
  '번호',
  '정보',
  '변경',
  '부탁',
  '요청',
  '처리',
  '신청',
  '사용',
  '이용',
  '해지',
  '취소',
  '환불',
  '조회',
  '등록',
  '인증',
  '비밀',
  '서비스',
  '시간',
  '오늘',
  '방문',
  '담당',
  '이번',
  '지난',
  '다음',
  '경우',
  '정도',
  '문제',
  '내용',
  '상품',
  '가격',
  '금액',
  '현재',
  '기존',
  '신규',
  '최근',
  '우리',
  '저희',
  '제가',
  '고객센',
  '주민',
  '생년',
  '여권',
  '면허',
  '지점',
  '본점',
  '회사',
  '부서',
  '가족',
  '보호',
  '소속',
  // A sex or an age group before a role (`남성 환자`, `여성 고객님`).
  '남성',
  '여성',
  '남자',
  '여자',
  '노인',
  '성인',
  '남아',
  '여아',
]);
const KO_CONTEXT = [
  '이름',
  '성명',
  '고객명',
  '고객',
  '담당자',
  '환자',
  '예금주',
  '수신인',
  '받는 사람',
  '받는분',
  '보호자',
  '신청인',
  '작성자',
  '성함',
  '명의',
];
// Particles after a name: "김민수가", "김민수는", "김민수에게".
const KO_PARTICLES = [
  '이',
  '가',
  '은',
  '는',
  '을',
  '를',
  '의',
  '에게',
  '께',
  '께서',
  '와',
  '과',
  '도',
  '이가',
  '이는',
  '이의',
  '이에게',
  '입니다',
  '이고',
  '이며',
  '이에요',
  '예요',
  '이라고',
  '라고',
  '이랑',
  '랑',
];
// An honorific or title written after a space: "남궁벽 님께서", "길태겸 과장님".
const KO_HONORIFIC_AFTER = /^ (?:님|씨|고객|선생|교수|대표|과장|부장|차장|대리|팀장|사장|원장|환자)/;

function koreanName(run: string, lower: string, at: number, after: string): number {
  const honorificAfter = KO_HONORIFIC_AFTER.test(after);
  // Family name of two syllables first (남궁, 제갈), then one.
  for (const familyLength of [2, 1]) {
    if (run.length < familyLength + 1 || !isKoreanFamilyName(run.slice(0, familyLength))) continue;
    for (const givenLength of [2, 1]) {
      const nameLength = familyLength + givenLength;
      if (run.length < nameLength) continue;
      const rest = run.slice(nameLength);
      const given = run.slice(familyLength, nameLength);
      const honorific = KO_HONORIFICS.some((h) => rest.startsWith(h)) || (rest === '' && honorificAfter);
      if (rest !== '' && !honorific && !KO_PARTICLES.includes(rest)) continue;
      if ((givenLength === 1 && !honorific) || KO_NOT_NAMES.has(run.slice(0, nameLength))) continue;
      // A context word right before the name ("성명: 탁윤겸", "예금주 설규봉"), not anywhere in the sentence.
      if (isKoreanGivenName(given) || honorific || (givenLength === 2 && keywordBefore(lower, at, KO_CONTEXT, 6))) return nameLength;
    }
  }
  return 0;
}

function findKorean(text: string, lower: string, report: (start: number, end: number) => void): void {
  HANGUL_RUN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = HANGUL_RUN.exec(text)) !== null) {
    const end = match.index + match[0].length;
    const length = koreanName(match[0], lower, match.index, text.slice(end, end + 4));
    if (length > 0) report(match.index, match.index + length);
  }
}

const HAS_HANGUL = /[가-힣]/;
// Text written all in lower case has a name only after words like these (`my name is vitoria`) or in a
// list (`tom, anna and mike`).
export const NAME_IS_ANYWHERE = /name is|name's|calls? me|i'm called|i am called|\p{Ll}, \p{Ll}+,? (?:and|&) \p{Ll}/iu;
// What every match of NAME_IS_ANYWHERE holds, without its Unicode classes: tested first, so that text
// without it (every lower-case attribute key: `service.name`) never makes V8 compile the case-folded
// `\p{Ll}` classes, 3-5 ms at the first test (issue 11: the resource masked at set-up). The same flags:
// under `iu`, `ſ` is an `s`. The comma stands for the list alternative, whose `, ` is literal.
const NAME_IS_ANYWHERE_NEEDS = /name is|name's|calls? me|i'm called|i am called|,/iu;
const HAS_CAPITAL = /\p{Lu}\p{Ll}/u;
// The same test for the capitals most text has: `\p{Lu}` is a range search per character of a two-byte
// string, `[A-Z]` is not (1.4 vs 0.12 µs per 950-byte message with one `’` in it, measured); the full
// test runs only when this one fails, so together they answer exactly what HAS_CAPITAL answers.
const HAS_ASCII_CAPITAL = /[A-Z]\p{Ll}/u;

/*
 * The name line of a postal address block (a shipping label, a letterhead, a signature): a line that is
 * only two or three capitalised words (a middle initial allowed), with a line starting with a house
 * number at most two lines below it:
 *   Satu Elomo            >Esat Jeknić
 *                         >Marshall, Hernandez and Simpson
 *   45818 P.O. Box 242    >3378 217 Lovers Lane
 * Tried only at line starts; each line is read once or twice: linear.
 */
// The name may follow the label's own heading on its line (`Billing address: Sophie Lang`).
const LABEL_NAME_LINE =
  /(?<=^|\n)(?:> ?)?(?:(?:[Bb]illing|[Ss]hipping|[Dd]elivery|[Mm]ailing|[Pp]ostal|[Hh]ome) address: *|[Ss]hip to: *|[Dd]eliver to: *)?(\p{Lu}[\p{Ll}\p{M}'’-]+(?: \p{Lu}\.?)?(?: \p{Lu}[\p{Ll}\p{M}'’-]+){1,2})[ \t]*(?=\n)/gu;
// The house-number line: a number, maybe a second one (a building number), then a capitalised street
// word; or a US military address (`PSC 3294, Box 8144`).
const LABEL_LINES_BELOW =
  /^\n(?:[^\n]{0,80}\n){0,2}?(?:> ?| {0,4})(?:[0-9]{1,6}[A-Za-z]? (?:[0-9]{1,6} )?(?:\p{Lu}[\p{Ll}\p{M}]|P\.O\.)|(?:PSC|CMR|Unit) [0-9]{1,6},? Box )/u;

// And something only an address has below it: a unit, a PO box, a street word or a UK postcode.
const ADDRESS_MARKER =
  /\b(?:Apt|Apartment|Suite|Unit|Flat|Box|Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Close|Crescent)\b|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}/;

function findAddressLabelNames(text: string, report: (start: number, end: number) => void): void {
  if (!text.includes('\n')) return;
  LABEL_NAME_LINE.lastIndex = 0;
  for (let match = LABEL_NAME_LINE.exec(text); match !== null; match = LABEL_NAME_LINE.exec(text)) {
    const name = match[1]!;
    const end = match.index + match[0].length;
    const nameWords = name.split(' ');
    if (nameWords.some((word) => NOT_NAME_WORDS.has(word) || NOT_NAME_AFTER.has(word))) continue;
    const below = text.slice(end, end + 250);
    // A heading on the name's line (`Billing address:`) already says an address follows.
    const headed = /address:|to:/i.test(match[0]);
    if (!LABEL_LINES_BELOW.test(below) || (!headed && !ADDRESS_MARKER.test(below))) continue;
    const start = match.index + match[0].indexOf(name);
    report(start, start + name.length);
  }
}

/*
 * The speakers of a dialogue written as a script: two or more lines, with two different capitalised
 * words, each word alone before a colon and a quotation mark (`Koppány: "Who are you?"` /
 * `Elizabeth:"I'm Amanda's daughter"`). The quotation mark is what tells a line of speech from a
 * label and its value (`Revenue: $5M`, `Title: Q3`); the words of prompts (`User`, `Assistant`,
 * `Question`, …) are never speakers. One pass over the line starts: linear.
 */
const SPEAKER_LINE = /(\p{Lu}[\p{Ll}\p{M}'’-]+): ?["“]/uy;
const NOT_SPEAKERS = new Set(
  `Assistant System Human AI Bot Question Answer Input Output Example Note Warning Error Info Step Result
  Reason Status Title Description Context Instructions Task Goal Response Request Prompt Query Reply Comment
  Quote Text Message Translation Original Source Target Expected Actual Observation Thought Action Tool`.split(/\s+/),
);
const MAX_SPEAKER_LINES = 256;

function findSpeakers(text: string, report: (start: number, end: number) => void): void {
  if (!text.includes('\n')) return;
  const lines: Array<[string, number]> = [];
  // Line starts found with indexOf, the pattern tried only there (sticky): a lookbehind for the line
  // start would be tested at every character.
  for (let at = 0; at !== -1 && at < text.length && lines.length < MAX_SPEAKER_LINES; at = text.indexOf('\n', at)) {
    if (text.charCodeAt(at) === 10) at++;
    SPEAKER_LINE.lastIndex = at;
    const match = SPEAKER_LINE.exec(text);
    if (!match) continue;
    const word = match[1]!;
    if (!NOT_NAME_WORDS.has(word) && !NOT_SPEAKERS.has(word) && !TITLES.has(word)) lines.push([word, at]);
  }
  if (lines.length < 2 || new Set(lines.map(([word]) => word)).size < 2) return;
  for (const [word, at] of lines) report(at, at + word.length);
}

/** Bounds what one value remembers of the names found in it (memory stays bounded on any input). */
const MAX_REMEMBERED_NAMES = 64;
/** How far after a found name its words are looked for again. */
const REPEAT_WINDOW = 2048;

/**
 * A word of a name found in the value is that person wherever else the value writes it capitalised
 * ("a film directed by Maciej Borkowski and starring Borkowski"): the surname alone has no gazetteer
 * entry or context word of its own. Words of three letters or more, titles and non-name words left
 * out; looked for in the 2 KB after each found name, a set lookup per capitalised word: linear.
 */
function findRepeats(text: string, found: ReadonlyArray<[number, number]>, wide: boolean, report: (start: number, end: number) => void): void {
  const capitalisedWord = wide ? CAPITALISED_WORD.wide : CAPITALISED_WORD.latin1;
  const names = new Set<string>();
  for (const [start, end] of found) {
    for (const { word } of words(text.slice(start, end))) {
      const bare = withoutDot(word);
      if (bare.length >= 3 && /^\p{Lu}/u.test(bare) && !TITLES.has(bare) && !NOT_NAME_WORDS.has(bare)) names.add(isPossessive(bare) ? bare.slice(0, -2) : bare);
    }
  }
  if (names.size === 0) return;
  // Only within REPEAT_WINDOW characters after a found name, each character read once: a whole-value
  // pass cost the 1 MB adversarial attribute 25 ms (bench/pii, trust-gaps notes).
  let scanned = 0;
  for (const [, nameEnd] of [...found].sort((a, b) => a[0] - b[0])) {
    const windowEnd = Math.min(text.length, nameEnd + REPEAT_WINDOW);
    capitalisedWord.lastIndex = Math.max(nameEnd, scanned);
    for (let match = capitalisedWord.exec(text); match !== null && match.index < windowEnd; match = capitalisedWord.exec(text)) {
      if (names.has(match[0])) report(match.index, match.index + match[0].length);
    }
    scanned = Math.max(scanned, windowEnd);
  }
}

export const personNameDetector: Detector = {
  type: 'PERSON',
  priority: 30,
  mayContain: (profile) =>
    HAS_ASCII_CAPITAL.test(profile.text) ||
    HAS_CAPITAL.test(profile.text) ||
    HAS_HANGUL.test(profile.text) ||
    (NAME_IS_ANYWHERE_NEEDS.test(profile.text) && NAME_IS_ANYWHERE.test(profile.text)),
  find(text, report, profile) {
    const lower = profile.lower();
    const found: Array<[number, number]> = [];
    const remember = (start: number, end: number) => {
      if (found.length < MAX_REMEMBERED_NAMES) found.push([start, end]);
      report(start, end);
    };
    const wide = BEYOND_LATIN1.test(text);
    findLatin(text, lower, wide, remember);
    findLowerCaseAndLists(text, lower, remember);
    findNameLists(text, remember);
    findAddressLabelNames(text, remember);
    findSpeakers(text, remember);
    if (found.length > 0) findRepeats(text, found, wide, report);
    // Hangul is beyond Latin-1: text without such a character needs no second pass to know it has none.
    if (wide && HAS_HANGUL.test(text)) findKorean(text, lower, report);
  },
};
