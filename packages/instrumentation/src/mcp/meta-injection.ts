/**
 * Adds trace-context fields to `params._meta` of one JSON-RPC message by splicing text into the
 * caller's body: every byte outside the inserted text stays as the caller wrote it (re-serialising
 * would change whitespace, `\u` escapes, number spellings, precision of large integers and
 * duplicate keys). Fails open: returns undefined, and the body is sent untouched, on any doubt.
 *
 * Precondition: `text` is valid JSON (the caller has `JSON.parse`d it) whose value is an object.
 */
export type Injection = { text: string } | { untouched: string };

export function injectIntoMeta(text: string, fields: Readonly<Record<string, string>>): Injection {
  const top = readObject(text, skipSpace(text, 0));
  if (!top) return { untouched: 'the body is not a JSON object' };
  const params = only(top.members, 'params');
  if (params === 'duplicate') return { untouched: 'params appears twice' };
  const metaText = JSON.stringify(fields);
  if (!params) {
    // A request without params (tools/list, ping): MCP allows params with only _meta on every request and notification.
    return { text: insertAt(text, top.close, `${top.members.length > 0 ? ',' : ''}"params":{"_meta":${metaText}}`) };
  }
  const paramsObject = readObject(text, params.valueStart);
  if (!paramsObject) return { untouched: 'params is not an object' };
  const meta = only(paramsObject.members, '_meta');
  if (meta === 'duplicate') return { untouched: '_meta appears twice' };
  if (!meta) return { text: insertAt(text, params.valueStart + 1, `"_meta":${metaText}${paramsObject.members.length > 0 ? ',' : ''}`) };
  const metaObject = readObject(text, meta.valueStart);
  if (!metaObject) return { untouched: '_meta is not an object' };
  // A trace context the caller (or its MCP SDK) put there wins: nothing is added next to it.
  if (metaObject.members.some((member) => Object.hasOwn(fields, member.key))) return { untouched: '_meta already carries trace context' };
  const added = metaText.slice(1, -1);
  return { text: insertAt(text, meta.valueStart + 1, `${added}${metaObject.members.length > 0 ? ',' : ''}`) };
}

interface Member {
  key: string;
  /** Index of the value's first character. */
  valueStart: number;
}

interface ObjectSpan {
  members: Member[];
  /** Index of the closing brace. */
  close: number;
}

function only(members: Member[], key: string): Member | 'duplicate' | undefined {
  let found: Member | undefined;
  for (const member of members) {
    if (member.key !== key) continue;
    if (found) return 'duplicate';
    found = member;
  }
  return found;
}

function insertAt(text: string, at: number, inserted: string): string {
  return text.slice(0, at) + inserted + text.slice(at);
}

/** The members of the object starting at `start` (keys decoded, values skipped), or undefined when it is not an object. */
function readObject(text: string, start: number): ObjectSpan | undefined {
  if (text.charCodeAt(start) !== 0x7b /* { */) return undefined;
  const members: Member[] = [];
  let i = skipSpace(text, start + 1);
  if (text.charCodeAt(i) === 0x7d /* } */) return { members, close: i };
  for (;;) {
    const keyEnd = skipString(text, i);
    // Keys are decoded: "par\u0061ms" is params to the server's parser too.
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    i = skipSpace(text, i + 1); // the colon
    members.push({ key, valueStart: i });
    i = skipSpace(text, skipValue(text, i));
    if (text.charCodeAt(i) === 0x7d) return { members, close: i };
    i = skipSpace(text, i + 1); // the comma
  }
}

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Index after the string starting at `i` (its opening quote). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; ; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c /* \ */) j++;
    else if (c === 0x22 /* " */) return j + 1;
    else if (Number.isNaN(c)) return j;
  }
}

/**
 * Index after the value starting at `i`. Objects and arrays are skipped with a depth counter, not
 * recursion: a deeply nested body cannot overflow the stack here.
 */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    let j = i;
    while (j < text.length && !',}] \n\r\t'.includes(text[j])) j++;
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x22) j = skipString(text, j) - 1;
    else if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
  }
  return text.length;
}
