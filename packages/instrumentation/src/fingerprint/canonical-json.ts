/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for values that came out of `JSON.parse`: object members
 * sorted by their names' UTF-16 code units (what `Array.prototype.sort` compares), no whitespace,
 * strings escaped and numbers written as ECMAScript's `JSON.stringify` does (RFC 8785 §3.2.2 and §3.2.3
 * define both by it). JSON.parse output has no `undefined`, functions, NaN or Infinity; anything of the
 * kind (a hand-built value) is written as JSON.stringify would write it in an array, `null`.
 * A short canonicaliser rather than a dependency: RFC 8785 §3.2 on JSON.parse values is these lines.
 *
 * Since JCS writes strings and numbers as `JSON.stringify` does, the canonical text of a value is
 * `JSON.stringify` of the same value with every object's members inserted in sorted order
 * (sorted-for-stringify.ts): one native pass instead of thousands of small strings joined (issue 11:
 * the fragments, the key arrays and `sort`'s work arrays were a sixth of the garbage llm-otel made per
 * plain call). Values that path cannot write exactly (see there) take `canonicalJsonByParts`.
 */
export function canonicalJson(value: unknown): string {
  const sorted = sortedForStringify(value);
  return sorted === NOT_STRINGIFIABLE ? canonicalJsonByParts(value) : (JSON.stringify(sorted) as string);
}

/**
 * The reference writer, member by member. Kept for the values `JSON.stringify` cannot canonicalise
 * (member names that are array indices or `__proto__`, objects that are not plain, BigInt) and as the
 * oracle `canonicalJson` is tested against (test/canonical-json.test.ts).
 */
export function canonicalJsonByParts(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    out.push(scalar(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i], out);
    }
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const member = record[key];
    // JSON.stringify leaves such members out of objects; so does JCS (they are not JSON).
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(member, out);
  }
  out.push('}');
}

function scalar(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  return 'null';
}

/** What `sortedForStringify` returns for a value `JSON.stringify` would not write as JCS does. */
export const NOT_STRINGIFIABLE: unique symbol = Symbol('not stringifiable');

/**
 * `value` with the members of every object in code-unit order, for `JSON.stringify`: objects and
 * arrays already in that order are returned as they are (no copy), others are copied; the caller's
 * value is never changed. NOT_STRINGIFIABLE when `JSON.stringify` of the result could differ from
 * `canonicalJsonByParts`:
 * - an object copied with a member named like an array index ("0", "10"): objects list those first,
 *   in numeric order, whatever their insertion order; a member `__proto__` would set the copy's
 *   prototype instead of a member;
 * - an object or array that is not plain (a Date, a boxed string, a class instance: JSON.stringify
 *   calls `toJSON` or unboxes), a `toJSON` on Object.prototype or Array.prototype, a BigInt
 *   (JSON.stringify throws);
 * - a value nested too deep for the stack.
 */
export function sortedForStringify(value: unknown): unknown {
  if (hasToJson(Object.prototype) || hasToJson(Array.prototype)) return NOT_STRINGIFIABLE;
  try {
    return sorted(value);
  } catch {
    return NOT_STRINGIFIABLE;
  }
}

function hasToJson(prototype: object): boolean {
  return (prototype as { toJSON?: unknown }).toJSON !== undefined;
}

/** Thrown (and caught by sortedForStringify) for what JSON.stringify cannot write canonically. */
const notStringifiable = new Error('not stringifiable');

function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) {
    // A function member named `toJSON` would be called by JSON.stringify; JCS leaves functions out.
    if (typeof value === 'bigint' || typeof value === 'function') throw notStringifiable;
    return value;
  }
  if (Array.isArray(value)) return sortedArray(value);
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw notStringifiable;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) {
      inOrder = false;
      break;
    }
  }
  if (!inOrder) insertionSort(keys);
  // In order and no member copied: the object itself. Each member is sorted once (a copy made late
  // takes the members before it as they are: they were returned unchanged).
  let copy: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const member = record[key];
    const written = sorted(member);
    if (copy) setMember(copy, key, written);
    else if (written !== member || !inOrder) {
      copy = {};
      for (let j = 0; j < i; j++) setMember(copy, keys[j], record[keys[j]]);
      setMember(copy, key, written);
    }
  }
  return copy ?? record;
}

function sortedArray(array: unknown[]): unknown[] {
  if (Object.getPrototypeOf(array) !== Array.prototype) throw notStringifiable;
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const written = sorted(item);
    if (copy) copy.push(written);
    else if (written !== item) {
      copy = array.slice(0, i);
      copy.push(written);
    }
  }
  return copy ?? array;
}

/** Adds a member to a copy being built in sorted order; throws for names the copy cannot keep in that order. */
function setMember(copy: Record<string, unknown>, key: string, member: unknown): void {
  if (key === '__proto__' || isArrayIndexLike(key)) throw notStringifiable;
  copy[key] = member;
}

/** A name that may be an array index (objects enumerate those first): any that starts with a digit. */
function isArrayIndexLike(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57;
}

/**
 * Sorts member names in place by UTF-16 code units (`<` on strings compares them, as
 * `Array.prototype.sort` does); objects have few members, and `sort` allocates a work array each time.
 */
function insertionSort(keys: string[]): void {
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
}
