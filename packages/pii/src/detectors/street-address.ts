import type { Detector } from '../detector';
import { type AtDigitRuns, isWordPatternBreak, type NearDigits, newNearDigitsCursor, nextAtDigitRuns, nextNearDigits, skipRun, tryOnlyAt } from './near-digits';

/**
 * Street addresses (the light engine: rules, linear time, synchronous).
 *
 * - US / UK / AU style: a house number, up to five words, a street suffix (`Street`, `St`, `Ave`,
 *   `Road`, `Lane`, `Close`, `Crescent`, …), then an optional unit (`Apt 4B`, `Suite 200`, `#12`), city,
 *   state or county, ZIP code or UK postcode, each optional.
 * - EU style: a street word with its suffix glued on (`Hauptstraße 5`, `Keizersgracht 123`,
 *   `Koskikatu 25`, `Storgatan 3`) or a street word first (`Rue de Rivoli 10`, `10 rue de Rivoli`,
 *   `Via Roma 12`, `Calle Mayor 5`), then an optional postal code and city (`75001 Paris`).
 * - Korean road-name and lot addresses: `…로 152`, `…대로94길 15`, `…동 123-4번지`, with the province,
 *   city and district words before them and the building, 동 and 호 after them.
 */
const US_SUFFIXES = new Set(
  `street st avenue ave av road rd boulevard blvd lane ln drive dr court ct place pl way terrace ter parkway pkwy
  circle cir highway hwy trail trl square sq alley aly crescent cres close grove gardens gdns mews row walk
  hill heights hts loop pike plaza point pt ridge run path pass crossing xing bend cove creek commons expressway
  freeway junction landing manor meadow meadows mill orchard park parks ranch shore shores spur station summit
  turnpike tpke valley view village vista wharf broadway causeway green rise vale wynd`.split(/\s+/),
);
// No `ring` (English "during", "string"); `tie` only in longer words (`Puruntie`, not "tie").
const EU_SUFFIX =
  /(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee|laan|straat|gracht|plein|kade|singel|katu|.{4}tie|gatan|vägen|väg|gränd|gade|vej|veien|gata|ulica|utca|ulice)$/i;
const EU_PREFIXES = new Set(
  `rue avenue av bd boulevard chemin allée impasse quai place via viale piazza corso strada vicolo largo calle
  avenida avda paseo plaza carrer camino rua praça travessa alameda rambla c/ ulica`.split(/\s+/),
);
// Polish street prefixes, written in lower case (`ul. Marszałkowska 10/12`, `al. Jerozolimskie 44`, `pl. Zbawiciela 3`).
const LOWER_CASE_PREFIXES = new Set(['ul.', 'al.', 'pl.', 'os.']);
// Street types written as their own word after the name (Hungarian, Scandinavian, Polish, Dutch, German).
export const STREET_TYPE_WORDS = new Set([
  'tér',
  'u',
  'utca',
  'út',
  'útja',
  'körút',
  'rkp',
  'rakpart',
  'sor',
  'köz',
  'terrasse',
  'vej',
  'gade',
  'gata',
  'gatan',
  'vei',
  'veien',
  'ulica',
  'weg',
  'straße',
  'strasse',
  'laan',
  'straat',
  'plein',
  'kade',
  'allee',
  'platz',
]);
/** A street type written apart; Norwegian `gate` only in lower case (`Karl Johans gate 22`; "Boarding Gate 22" is an airport). */
const isStreetTypeWord = (word: string): boolean => STREET_TYPE_WORDS.has(bare(word)) || word === 'gate';
/**
 * The ASCII first characters a street-type word can have (all lower case): a word starting with any
 * other ASCII character (`is`, `order`, `(415)`, `4111`) is not one, decided without the slice,
 * `replace` and lower-casing of `isStreetTypeWord` (most numbers in prose follow such a word).
 */
const STREET_TYPE_INITIALS = new Set([...STREET_TYPE_WORDS, 'gate'].map((word) => word.charCodeAt(0)).filter((c) => c < 128));
const PARTICLES = new Set([
  'de',
  'del',
  'della',
  'delle',
  'dei',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'du',
  'des',
  'la',
  'le',
  'les',
  'el',
  'los',
  'las',
  "d'",
  'of',
  'the',
  'san',
  'santa',
  'st.',
]);
const UNIT = /^,? ?(?:apt\.?|apartment|suite|ste\.?|unit|flat|fl\.?|floor|room|rm\.?|#|no\.?|bldg\.?|building)\s?#?[0-9A-Za-z-]{1,6}/i;
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI'.split(
    ' ',
  ),
);
const POSTCODE = /^(?:[0-9]{5}(?:-[0-9]{4})?|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|[0-9]{4,5}|[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9])(?![0-9A-Za-z])/;

// Candidates start at a house number or at a capitalised word; the rest is checked word by word.
// Every candidate is anchored at a house number (ASCII classes only: no Unicode-property scan per character).
// A match starts at the first digit of a run (the lookbehind refuses a digit before it) of at most six
// digits: on text with few digits it is tried there only, sticky, at the runs the profile found, not
// searched for over the whole text (2.1 µs per span of the bench/export mix, measured; issue 11, third pass).
export const HOUSE_NUMBER = /(?<![0-9A-Za-z_.,:/-])[0-9]{1,6}[A-Za-z]?(?:-[0-9]{1,4})?(?![0-9])/g;
export const MAX_HOUSE_NUMBER_DIGITS = 6;
const KR_ROAD = /(?<![가-힣0-9])[가-힣0-9]{1,12}(?:로|길)(?: ?[0-9]{1,4}(?:번?길))? ?[0-9]{1,5}(?:-[0-9]{1,4})?(?![0-9])/g;
// `…동 123-4번지`; without 번지 only after the region words (checked in findKorean): `역삼동 123-45`.
const KR_LOT = /(?<![가-힣0-9])[가-힣0-9]{1,8}(?:동|리|가) ?[0-9]{1,5}(?:-[0-9]{1,4})?(?: ?번지)?(?![0-9])/g;
const KR_REGION = /(?:특별시|광역시|특별자치시|특별자치도|도|시|군|구|읍|면|동)$/;
const KR_REGION_WORDS = new Set([
  '서울',
  '부산',
  '대구',
  '인천',
  '광주',
  '대전',
  '울산',
  '세종',
  '경기',
  '강원',
  '충북',
  '충남',
  '전북',
  '전남',
  '경북',
  '경남',
  '제주',
]);

const NOT_PLACE = new Set(
  `Please Thanks Thank The This That Call I We You My Our If And But So Also Then Regards Best During Since
  In On At By From Until Before After Around About Version Chapter Room Floor Page Step Level Gate Flight Model
  Windows Python Node Java Apollo January February March April May June July August September October
  November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday
  Friday Saturday Sunday Q1 Q2 Q3 Q4 Week Day Year Order Invoice Ticket Total`.split(/\s+/),
);

interface Word {
  word: string;
  start: number;
  end: number;
}

const UPPER = /\p{Lu}/u;
function isUpperAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPER.test(text[i]!);
}
const isDigitAt = (text: string, i: number): boolean => text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
function digitsEnd(text: string, from: number): number {
  let i = from;
  while (isDigitAt(text, i)) i++;
  return i;
}
/** `st`, `nd`, `rd` or `th` at `i` (case as written: the ordinal test below is case-sensitive). */
function ordinalSuffixAt(text: string, i: number): boolean {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  return (a === 115 && b === 116) || (a === 110 && b === 100) || (a === 114 && b === 100) || (a === 116 && b === 104);
}
const LOWER_STREET_START =
  /^(?:rue|avenue|av|bd|boulevard|chemin|allée|impasse|quai|place|via|viale|piazza|corso|strada|vicolo|largo|calle|avenida|avda|paseo|plaza|carrer|camino|rua|praça|travessa|alameda|rambla|de|del|della|di|da|do|du|des|la|le|el|the|st\.)(?![\p{L}])/iu;

/** Space, tab, line break, `,`, `;`, `(`, `)`, `"`. */
function isWordStop(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 59 || c === 40 || c === 41 || c === 34;
}

/** Up to `max` space-separated words from `from`, each stopping at a space, comma or line break. */
function wordsFrom(text: string, from: number, max: number): Word[] {
  const result: Word[] = [];
  let i = from;
  while (result.length < max && i < text.length) {
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    const start = i;
    while (i < text.length && !isWordStop(text.charCodeAt(i)) && i - start < 40) i++;
    if (i === start) break;
    result.push({ word: text.slice(start, i), start, end: i });
    if (text[i] !== ' ') break;
  }
  return result;
}

/** The word lower-cased without its trailing dots and commas (a loop: a `replace` is a call into the engine, ~90 ns, per word). */
export function bare(word: string): string {
  let end = word.length;
  while (end > 0 && (word.charCodeAt(end - 1) === 46 || word.charCodeAt(end - 1) === 44)) end--;
  return (end === word.length ? word : word.slice(0, end)).toLowerCase();
}

// A comma or line breaks, also inside a quoted e-mail (`\n> `).
const SEGMENT_SEPARATOR = /^(?:,? ?(?:\\n|\n)+ ?(?:> ?)?|, ?)/;
const CITY_WORDS = /^\p{Lu}[\p{L}\p{M}'’.-]*(?![\p{L}\p{N}])(?: \p{Lu}[\p{L}\p{M}'’.-]*(?![\p{L}\p{N}])){0,3}/u;

// On the street's line after a space: a state and ZIP, a UK postcode, or a city before a state and ZIP
// (`1234 Main St. Springfield, IL 62704`: the city was left in clear text after `St.`).
const SAME_LINE_TAIL = /^ (?=[A-Z]{2} [0-9]{5}|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?,? [A-Z]{2} [0-9]{5}(?![0-9]))/u;

/**
 * The end of what follows a street at `end`: a unit, then up to four segments after a comma or a line
 * break, each a unit, a city, region or country (capitalised words), a state, a postal code, or a mix
 * (`Springfield, IL 62704`, `\n Suite 501\n Riisa\n\n Estonia 62488`, `London SW1A 1AA`).
 */
function extendTail(text: string, end: number): number {
  let at = end;
  const unit = UNIT.exec(text.slice(at, at + 24));
  if (unit) at += unit[0].length;
  // On the same line after a space: only what SAME_LINE_TAIL allows.
  for (let segment = 0; segment < 4; segment++) {
    const window = text.slice(at, at + 80);
    const sep = SEGMENT_SEPARATOR.exec(window) ?? (segment === 0 ? SAME_LINE_TAIL.exec(window) : null);
    if (!sep) break;
    let cursor = sep[0].length;
    const rest = window.slice(cursor);
    const unitHere = UNIT.exec(rest);
    if (unitHere && unitHere[0].length > 1) {
      at += cursor + unitHere[0].length;
      continue;
    }
    let matched = false;
    const city = CITY_WORDS.exec(rest);
    if (city && !POSTCODE.test(rest) && !US_STATES.has(city[0])) {
      const cityWords = city[0].split(' ');
      // A city is not the start of the next sentence ("…, Please call").
      if (!cityWords.some((w) => NOT_PLACE.has(w))) {
        cursor += city[0].length;
        matched = true;
      }
    }
    const state = /^,? ?([A-Z]{2})(?![A-Za-z])/.exec(window.slice(cursor));
    if (state && US_STATES.has(state[1]!)) {
      cursor += state[0].length;
      matched = true;
    }
    const postcode = /^,? ?/.exec(window.slice(cursor))!;
    const code = POSTCODE.exec(window.slice(cursor + postcode[0].length));
    if (code) {
      cursor += postcode[0].length + code[0].length;
      matched = true;
      // `75008 Paris`: in Europe the city follows the postal code on its line (not after a US state and ZIP).
      const cityAfter = !state && !city && /^[0-9]{4,5}$/.test(code[0]) ? /^ (\p{Lu}[\p{L}\p{M}'’.-]*)(?![\p{L}\p{N}])/u.exec(window.slice(cursor)) : null;
      if (cityAfter && !NOT_PLACE.has(cityAfter[1]!)) cursor += cityAfter[0].length;
    }
    if (!matched) break;
    at += cursor;
  }
  return at;
}

/** House numbers: a number starts a digit run of at most MAX_HOUSE_NUMBER_DIGITS digits. */
const HOUSE_NUMBER_AT_RUNS: AtDigitRuns = {
  search: HOUSE_NUMBER,
  sticky: new RegExp(HOUSE_NUMBER.source, 'y'),
  starts(_text, start, end, from, into) {
    if (start < from || end - start > MAX_HOUSE_NUMBER_DIGITS) skipRun(into);
    else tryOnlyAt(into, start);
  },
};

/** The next house number from `from`: tried at the digit runs, or searched for when the text has many. */
export const nextHouseNumber = (text: string, spans: readonly number[] | undefined, cursor: { run: number }, from: number): RegExpExecArray | null =>
  nextAtDigitRuns(text, spans, HOUSE_NUMBER_AT_RUNS, cursor, from);

function findAtNumbers(text: string, spans: readonly number[] | undefined, report: (start: number, end: number) => void): void {
  const cursor = { run: 0 };
  // Where the search goes on: after the number, or after the address reported.
  let from = 0;
  for (let match = nextHouseNumber(text, spans, cursor, 0); match !== null; match = nextHouseNumber(text, spans, cursor, from)) {
    const start = match.index;
    const numberEnd = start + match[0].length;
    from = numberEnd;
    const before = text.charCodeAt(start - 1);
    if (start > 0 && before === 32) {
      const end = findWordThenNumber(text, start, numberEnd, report);
      if (end !== -1) {
        from = end;
        continue;
      }
    }
    let after = numberEnd;
    if (text.charCodeAt(after) === 44) after++;
    if (text.charCodeAt(after) !== 32) continue;
    // The street starts with a capital, an ordinal ("5th"), a particle or a street word ("rue").
    if (!isUpperAt(text, after + 1) && !isDigitAt(text, after + 1) && !LOWER_STREET_START.test(text.slice(after + 1, after + 12))) continue;
    // A number next (the groups of `4111 1111 1111 1111`): the loop below takes it only as an ordinal
    // (`5th Avenue`), so without `st`/`nd`/`rd`/`th` right after its digits the words are not read.
    if (isDigitAt(text, after + 1) && !ordinalSuffixAt(text, digitsEnd(text, after + 1))) continue;
    const list = wordsFrom(text, after + 1, 6);
    let streetEnd = -1;
    for (let i = 0; i < list.length; i++) {
      const w = list[i]!;
      const word = bare(w.word);
      // French and Spanish order: "10 rue de Rivoli".
      if (i === 0 && EU_PREFIXES.has(word)) {
        let j = i + 1;
        while (j < list.length && (PARTICLES.has(bare(list[j]!.word)) || /^\p{Lu}/u.test(list[j]!.word))) j++;
        if (j > i + 1) streetEnd = list[j - 1]!.end;
        break;
      }
      // Street words are capitalised or ordinals ("5th Avenue"); a bare number starts another address.
      if (!/^(?:\p{Lu}|[0-9]+(?:st|nd|rd|th)(?![\p{L}]))/u.test(w.word) && !PARTICLES.has(word)) break;
      if (i > 0 && (US_SUFFIXES.has(word) || EU_SUFFIX.test(word))) {
        // The comma after the street, and a sentence's full stop after a whole word (`Avenue.`), are not
        // part of it; an abbreviation's dot is (`St.`, `Blvd.`).
        streetEnd = w.word.endsWith(',') || (w.word.endsWith('.') && word.length > 4) ? w.end - 1 : w.end;
        if (/^(?:n|s|e|w|ne|nw|se|sw)\.?$/i.test(bare(list[i + 1]?.word ?? '')) && /^\p{Lu}/u.test(list[i + 1]!.word)) streetEnd = list[i + 1]!.end;
        break;
      }
    }
    if (streetEnd === -1) continue;
    const end = extendTail(text, streetEnd);
    report(start, end);
    from = end;
  }
}

/** Words before `index` on the same line, up to `max`, nearest last. */
function wordsBefore(text: string, index: number, max: number): Word[] {
  const result: Word[] = [];
  let i = index;
  while (result.length < max && i > 0) {
    if (text.charCodeAt(i - 1) !== 32) break;
    i--;
    const end = i;
    while (i > 0 && !isWordStop(text.charCodeAt(i - 1)) && end - i < 40) i--;
    if (i === end) break;
    result.unshift({ word: text.slice(i, end), start: i, end });
  }
  return result;
}

/** "Hauptstraße 5", "Via Roma 12", "Rue de Rivoli 10": the street words end right before the house number at `numberStart`. */
function findWordThenNumber(text: string, numberStart: number, numberEnd: number, report: (start: number, end: number) => void): number {
  let at = numberStart;
  if (text.charCodeAt(at - 1) === 44) at--; // "Calle Mayor, 5"
  // The word before the number is capitalised in every form handled here; most numbers in prose follow
  // a lower-case word ("ordered 3 items"), so this one test skips them (measured: a third of the time).
  let wordStart = at - 1;
  while (wordStart > 0 && wordStart > at - 41 && !isWordStop(text.charCodeAt(wordStart - 1))) wordStart--;
  if (!isUpperAt(text, wordStart)) {
    const first = text.charCodeAt(wordStart);
    if (first < 128 && !STREET_TYPE_INITIALS.has(first)) return -1;
    if (!isStreetTypeWord(text.slice(wordStart, at).trimEnd())) return -1;
  }
  const list = wordsBefore(text, at, 5);
  let first = -1;
  for (let i = 0; i < list.length; i++) {
    const word = list[i]!.word;
    const lowered = bare(word);
    if (((EU_PREFIXES.has(lowered) && /^\p{Lu}/u.test(word)) || LOWER_CASE_PREFIXES.has(word)) && i + 1 < list.length) {
      first = i;
      break;
    }
    if (i === list.length - 1 && lowered.length > 5 && EU_SUFFIX.test(lowered) && /^\p{Lu}/u.test(word)) first = i;
    // "Erzsébet tér 19", "Kálmán Imre u. 12", "Stensås terrasse 38": a street-type word written apart.
    if (i === list.length - 1 && i > 0 && isStreetTypeWord(word) && /^\p{Lu}/u.test(list[i - 1]!.word)) {
      first = i - 1;
      while (first > 0 && first > i - 3 && /^\p{Lu}/u.test(list[first - 1]!.word) && !NOT_PLACE.has(list[first - 1]!.word)) first--;
    }
  }
  if (first === -1) {
    // A street name no rule knows ("Allika 46", "Hafnarstraeti 5"): one to three capitalised words and a
    // house number count when a unit, a postcode or state follows, or a postal number comes before them.
    const words = list.slice(-3);
    let k = words.length;
    while (k > 0 && /^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(words[k - 1]!.word) && !NOT_PLACE.has(words[k - 1]!.word)) k--;
    if (k === words.length) return -1;
    const street = words.slice(k);
    const tailEnd = extendTail(text, numberEnd);
    const tail = text.slice(numberEnd, tailEnd);
    // "March 15, 2024": a year is not a postcode.
    if (/^[, ]*(?:19|20)[0-9]{2}$/.test(tail)) return -1;
    // "Summit Backpack 30L, Nimbus 2000 Headphones": a capitalised word right after the postal code on
    // its line makes the number a model number (a lower-case one may be part of a place name,
    // `Turkovice u Prelouče`).
    if (!/\b(?:apt|suite|unit|flat|floor)\b/i.test(tail) && !/^,? ?[0-9]{4,5} \p{Lu}/u.test(tail) && /^ \p{Lu}/u.test(text.slice(tailEnd, tailEnd + 2)))
      return -1;
    const numberBefore = /(?<![0-9A-Za-z])[0-9]{3,5} $/.exec(text.slice(Math.max(0, street[0]!.start - 6), street[0]!.start));
    if (!numberBefore && !/[0-9]|\b(?:apt|suite|unit|flat|floor)\b/i.test(tail)) return -1;
    const start = street[0]!.start - (numberBefore ? numberBefore[0].length : 0);
    report(start, tailEnd);
    return tailEnd;
  }
  const start = list[first]!.start;
  // "10/12": a flat number after the house number (Polish, Czech, Italian).
  const flat = /^\/[0-9]{1,4}[A-Za-z]?(?![0-9A-Za-z])/.exec(text.slice(numberEnd, numberEnd + 8));
  let end = flat ? numberEnd + flat[0].length : numberEnd;
  // "Hauptstraße 5, 10115 Berlin" / "Via Roma 12, 00184 Roma" / "00-590 Warszawa" (PL), "1100-053 Lisboa"
  // (PT), "111 51 Stockholm" (SE, CZ, SK, GR).
  const tail = /^,? (?:[0-9]{4}-[0-9]{3}|[0-9]{2}-[0-9]{3}|[0-9]{3} [0-9]{2}|[0-9]{4}(?: [A-Z]{2})?|[0-9]{5}|[A-Z]{1,2}-[0-9]{4,5}) \p{Lu}[\p{L}-]+/u.exec(
    text.slice(end, end + 40),
  );
  end = tail ? end + tail[0].length : extendTail(text, end);
  report(start, end);
  return end;
}

/** Start of the province, city and district words right before `start` (`서울특별시 강남구 `). */
function koreanRegionStart(text: string, start: number): number {
  let at = start;
  for (let k = 0; k < 4; k++) {
    let i = at;
    while (i > 0 && text.charCodeAt(i - 1) === 32) i--;
    let j = i;
    while (j > 0 && /[가-힣]/.test(text[j - 1]!)) j--;
    const word = text.slice(j, i);
    if (j === i || !(KR_REGION.test(word) || KR_REGION_WORDS.has(word))) break;
    at = j;
  }
  return at;
}

/** The building, 동 and 호 after a Korean address (`, 101동 1203호`, ` 5층`, ` (역삼동)`). */
function koreanTail(text: string, end: number): number {
  const tail = /^(?:,? ?[0-9]{1,4}(?:동|호|층)){1,3}|^ ?\([가-힣0-9, ]{1,20}\)/.exec(text.slice(end, end + 30));
  return tail ? end + tail[0].length : end;
}

function findKorean(text: string, report: (start: number, end: number) => void): void {
  for (const pattern of [KR_ROAD, KR_LOT]) {
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      const start = koreanRegionStart(text, match.index);
      const road = match[0];
      // "…로 152" alone is also how a particle reads ("메일로 2번"): a region word before it, or a road
      // name of the form "…대로", "…번길", "…로12길", is required.
      if (pattern === KR_ROAD && start === match.index && !/(?:대로|번길|로[0-9]+길)/.test(road)) continue;
      if (pattern === KR_LOT && start === match.index && !road.endsWith('번지')) continue;
      report(start, koreanTail(text, match.index + road.length));
    }
  }
}

// After a word that says an address follows ("my address is", "lives at", "ship to", "주소"), the rest
// of the clause is the address when it holds a digit: this catches formats no rule above knows
// (`Allika 46`, `Erzsébet tér 19.`, Greek and Cyrillic street names).
const ADDRESS_CONTEXT =
  /(?:address(?: is|:| was| to)|lives at|live at|living at|located at|office is at|resides? at|moved to|ship(?:ped)? to|send (?:it )?to|sent to|deliver(?:ed)? to|mail(?:ed)? to|return(?:ed)? to|drops? (?:you )?off at|주소(?:는|:|지)?|배송지(?:는|:)?|거주지(?:는|:)?)[: ]*(?:the corner of )?/gi;
const NOT_POSTAL_ADDRESS = /(?:e-?mail|ip|mac|web|wallet|memory|network|server|url|ipv[46]|bitcoin|btc|eth)\s*$/i;
const CLAUSE_END =
  /[?!;]|,? (?:phone|tel|e-?mail|call|fax|mobile|cell)\b|\.(?=\s|$)(?<!\b(?:apt|st|no|ste|u|ave|rd|dr|blvd|str|nr|p)\.)|\n\s*\n(?=\s*[\p{Ll}\p{Lu}][\p{Ll}])|,? and |,? but | in case | if | so that | because /u;
const MAX_CONTEXT_ADDRESS = 120;

/** The clause after a context word counts only when it holds a digit, and it is at most MAX_CONTEXT_ADDRESS long. */
const ADDRESS_CONTEXT_NEAR_DIGITS: NearDigits = { pattern: ADDRESS_CONTEXT, reach: MAX_CONTEXT_ADDRESS, isBreak: isWordPatternBreak };

function findAfterContext(text: string, spans: readonly number[] | undefined, report: (start: number, end: number) => void): void {
  const cursor = newNearDigitsCursor();
  let from = 0;
  for (
    let match = nextNearDigits(text, spans, ADDRESS_CONTEXT_NEAR_DIGITS, cursor, 0);
    match !== null;
    match = nextNearDigits(text, spans, ADDRESS_CONTEXT_NEAR_DIGITS, cursor, from)
  ) {
    from = match.index + match[0].length;
    if (NOT_POSTAL_ADDRESS.test(text.slice(Math.max(0, match.index - 10), match.index))) continue;
    const start = match.index + match[0].length;
    if (!/^[\p{L}\p{N}#]/u.test(text.slice(start, start + 1))) continue;
    const window = text.slice(start, start + MAX_CONTEXT_ADDRESS);
    const stop = CLAUSE_END.exec(window);
    let clause = stop ? window.slice(0, stop.index) : window;
    // "Billing address: Sara Schwarz\n 28245 Puruntie…": a first line without a digit is the addressee,
    // left to the name detector; the address starts on the next line.
    let skip = 0;
    const lineBreak = clause.indexOf('\n');
    if (lineBreak > 0 && !/[0-9]/.test(clause.slice(0, lineBreak))) {
      skip = lineBreak + 1;
      while (skip < clause.length && /\s/.test(clause[skip]!)) skip++;
    }
    // "Ship to: Alex Kim, 1600 Amphitheatre Pkwy": the same for a first segment before a comma.
    const comma = /^([^,0-9\n]{2,40}), (?=[0-9])/.exec(clause.slice(skip));
    if (comma) skip += comma[0].length;
    clause = clause.slice(skip);
    // Korean endings after the address ("… 235 입니다", "…로 79 으로") are not part of it.
    clause = clause.replace(/[\s,.:]+$/u, '').replace(/\s*(?:입니다|이에요|예요|이고|으로|에서|로|에|입니다만)$/u, '');
    // Coordinates and amounts after "located at" are not addresses.
    if (!/[0-9]/.test(clause) || !/\p{L}{2}/u.test(clause) || /^-?[0-9]+[.,][0-9]/.test(clause)) continue;
    report(start + skip, start + skip + clause.length);
    from = start + skip + clause.length;
  }
}

// Post-office boxes: `P.O. Box 149`, `PO Box 287`, `Postfach 1234`, `Apartado 55`, `사서함 12호`.
export const PO_BOX =
  /\b(?:P\.? ?O\.? Box|Post Office Box|Postfach|Apartado(?: de correos)?|Boîte postale|BP|Casella postale) [0-9]{1,6}|사서함 ?[0-9]{1,6}호?/gi;

// US military and diplomatic mail: `PSC 0413, Box 8144\nAPO AA 42323`, `Unit 4719 Box 7394 DPO AP 70942`.
const MILITARY =
  /\b(?:(?:PSC|CMR|Unit) [0-9]{1,6},? Box [0-9]{1,5}|(?:USNS|USNV|USS|USCGC) [A-Za-z]{2,20}(?: [A-Za-z]{2,20})?)(?:,? ?(?:\\n|\n| ))[ADF]PO A[AEP] [0-9]{5}/gi;

const HAS_HANGUL = /[가-힣]/;
/** A digit and two capitals before a word end (`1AA`): what a UK postcode's inward code needs. */
export const UK_INWARD_CODE = /[A-Z]{2}\b(?<=[0-9][A-Z]{2})/;
const isCapitalCode = (c: number): boolean => c >= 65 && c <= 90;
const isWordCode = (c: number): boolean => isCapitalCode(c) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
/**
 * UK_INWARD_CODE's answer: the digit is the last of a run, so on text with few digits two capitals
 * and a word end are looked for after each run, without a pass over the text (issue 11, third pass).
 */
export function hasUkInwardCode(text: string, spans: readonly number[] | undefined): boolean {
  if (!spans) return UK_INWARD_CODE.test(text);
  for (let i = 1; i < spans.length; i += 2) {
    const end = spans[i]!;
    if (isCapitalCode(text.charCodeAt(end)) && isCapitalCode(text.charCodeAt(end + 1)) && !isWordCode(text.charCodeAt(end + 2))) return true;
  }
  return false;
}

const PO_BOX_WORDS = /box|postfach|apartado|postale|\bBP\b|사서함/i;
/** The last two letters, lower-cased, of the words a PO_BOX number follows (`Box`, `Postfach`, `Apartado`, `correos`, `postale`, `BP`). */
const PO_BOX_WORD_ENDS = new Set(['ox', 'ch', 'do', 'os', 'le', 'bp']);
const HAM = 0xd568; // 함, the last syllable of 사서함
/**
 * Whether PO_BOX can match: every match ends in the digits of a run right after such a word and a space,
 * or after 사서함 (a space between or not). On text with few digits that is looked at before each run,
 * so the word test (a pass over the text) runs only when it can matter (issue 11, third pass).
 */
export function mayHavePoBox(text: string, spans: readonly number[] | undefined): boolean {
  if (spans) {
    let near = false;
    for (let i = 0; i < spans.length && !near; i += 2) {
      const run = spans[i]!;
      const before = text.charCodeAt(run - 1);
      if (before === HAM || (before === 32 && text.charCodeAt(run - 2) === HAM)) near = true;
      else if (before === 32 && run >= 3) near = PO_BOX_WORD_ENDS.has(text.slice(run - 3, run - 1).toLowerCase());
    }
    if (!near) return false;
  }
  return PO_BOX_WORDS.test(text);
}

// A full UK postcode (the inward code never uses C, I, K, M, O, V).
const UK_POSTCODE = /\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}\b/g;
const CAPITALISED_WORDS_BEFORE = /(?:\p{Lu}[\p{L}\p{M}'’.-]*(?: \p{Lu}[\p{L}\p{M}'’.-]*){0,3})$/u;

/**
 * UK addresses often have a house name and no number (`The Old Rectory, Church Lane, Oxford OX1 4AB`):
 * anchored at a full postcode, the city before it and a street with its suffix before that, and a
 * house name before the street. Each postcode looks back over at most three comma segments.
 */
function findUkByPostcode(text: string, report: (start: number, end: number) => void): void {
  UK_POSTCODE.lastIndex = 0;
  for (let m = UK_POSTCODE.exec(text); m !== null; m = UK_POSTCODE.exec(text)) {
    let start = m.index;
    const city = CAPITALISED_WORDS_BEFORE.exec(text.slice(Math.max(0, start - 40), start - 1));
    if (text.charCodeAt(start - 1) !== 32 || !city) continue;
    start -= 1 + city[0].length;
    const street = /, $/.test(text.slice(start - 2, start)) ? CAPITALISED_WORDS_BEFORE.exec(text.slice(Math.max(0, start - 62), start - 2)) : null;
    if (!street || !US_SUFFIXES.has(bare(street[0].slice(street[0].lastIndexOf(' ') + 1)))) continue;
    start -= 2 + street[0].length;
    const house = /, $/.test(text.slice(start - 2, start)) ? CAPITALISED_WORDS_BEFORE.exec(text.slice(Math.max(0, start - 42), start - 2)) : null;
    if (house && !house[0].split(' ').some((word) => NOT_PLACE.has(word) && word !== 'The')) start -= 2 + house[0].length;
    report(start, m.index + m[0].length);
  }
}

/**
 * Where an address starting at `start` really starts: a building or unit number written before the street
 * number on the same line (`3369 24 Clarke Avenue`, `4844 Søndergade 52`) belongs to it. Only a bare
 * number of up to six digits at a line start or after a space, `>` or `(`: one step, linear.
 */
function withLeadingNumber(text: string, start: number): number {
  if (text.charCodeAt(start - 1) !== 32) return start;
  let at = start - 1;
  while (at > 0 && isDigitAt(text, at - 1) && start - at <= 7) at -= 1;
  if (at === start - 1 || start - at > 7) return start;
  const before = text.charCodeAt(at - 1);
  return at === 0 || before === 10 || before === 32 || before === 62 /* > */ || before === 40 /* ( */ ? at : start;
}

export const streetAddressDetector: Detector = {
  type: 'STREET_ADDRESS',
  priority: 35,
  mayContain: (profile) => profile.hasDigits(1),
  find(text, reportFound, profile) {
    const report = (start: number, end: number) => reportFound(withLeadingNumber(text, start), end);
    findAtNumbers(text, profile.digitSpans(), report);
    const spans = profile.digitSpans();
    findAfterContext(text, spans, report);
    if (mayHavePoBox(text, spans)) {
      PO_BOX.lastIndex = 0;
      for (let m = PO_BOX.exec(text); m !== null; m = PO_BOX.exec(text)) {
        const end = extendTail(text, m.index + m[0].length);
        report(m.index, end);
        PO_BOX.lastIndex = end;
      }
    }
    if (/[ADF]PO A[AEP] /i.test(text)) {
      MILITARY.lastIndex = 0;
      for (let m = MILITARY.exec(text); m !== null; m = MILITARY.exec(text)) report(m.index, m.index + m[0].length);
    }
    if (HAS_HANGUL.test(text)) findKorean(text, report);
    // The capitals first and the digit behind them: the same test (a digit, two capitals, a word end), but
    // the engine skips to capitals, which prose has fewer of than digits (1.29 vs 0.79 µs per span of the
    // bench/export mix, measured).
    if (hasUkInwardCode(text, spans)) findUkByPostcode(text, report);
  },
};
