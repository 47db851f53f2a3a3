/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for values that came out of `JSON.parse`: object members
 * sorted by their names' UTF-16 code units (what `Array.prototype.sort` compares), no whitespace,
 * strings escaped and numbers written as ECMAScript's `JSON.stringify` does (RFC 8785 §3.2.2 and §3.2.3
 * define both by it). JSON.parse output has no `undefined`, functions, NaN or Infinity; anything of the
 * kind (a hand-built value) is written as JSON.stringify would write it in an array, `null`.
 * A short canonicaliser rather than a dependency: RFC 8785 §3.2 on JSON.parse values is these lines.
 */
export function canonicalJson(value: unknown): string {
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
