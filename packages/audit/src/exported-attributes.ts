import type { Attributes } from '@opentelemetry/api';

/** The attribute object a signed span exports, with its keys and values in `Object.keys` order. */
export interface ExportedAttributes {
  attributes: Attributes;
  keys: string[];
  values: unknown[];
}

/*
 * Objects with a remembered key list, in fast mode, copied for each span. V8 turns an object that gets
 * 30-odd properties one by one into a dictionary; the OTLP serializer then walks it with `for…in`
 * without an enumeration cache, which measured 1.6 µs more per typical span than over a fast-mode
 * object (bench/audit). A spread of a fast-mode object copies its layout at once, and storing into
 * properties it already has keeps it in fast mode. `JSON.parse` builds the templates: it makes
 * fast-mode objects of any size. Bounded: the oldest is replaced.
 */
interface Template {
  keys: readonly string[];
  object: Attributes;
}
const templates: Template[] = [];
const MAX_TEMPLATES = 16;
let nextTemplate = 0;

function rememberedTemplate(keys: readonly string[]): Attributes | undefined {
  search: for (const template of templates) {
    if (template.keys.length !== keys.length) continue;
    for (let index = 0; index < keys.length; index += 1) if (template.keys[index] !== keys[index]) continue search;
    return template.object;
  }
  return undefined;
}

function newTemplate(keys: readonly string[]): Attributes | undefined {
  const shape: Record<string, null> = {};
  for (const key of keys) shape[key] = null;
  const object = JSON.parse(JSON.stringify(shape)) as Attributes;
  const made = Object.keys(object);
  // Integer-like keys sort first in every object; a list it would reorder (or a repeated key) gets none.
  if (made.length !== keys.length || made.some((key, index) => key !== keys[index])) return undefined;
  // Each kind of attribute value once, so that no later store changes a property's representation
  // (which would make V8 migrate every copy).
  for (const key of made) for (const value of [1, 1.5, 'text', true, ['a'], null]) object[key] = value as never;
  templates[nextTemplate] = { keys: [...keys], object };
  nextTemplate = (nextTemplate + 1) % MAX_TEMPLATES;
  return object;
}

/**
 * `Object.assign({}, attributes, extra)` followed by `later` keys, with the keys and values the MAC
 * covers in `Object.keys` order: a key of `extra` already in `attributes` keeps its place and takes the
 * new value; a `later` key not yet there is added last with the value '' (the caller sets it once the
 * MAC is known; the MAC does not cover those keys). Each value of `attributes` is read once: a getter
 * that answers differently per read is exported as MACed.
 */
export function exportedAttributes(attributes: Attributes, extra: Attributes, later: readonly string[]): ExportedAttributes {
  // An own `__proto__` (possible in an object built from JSON) is not copied by assignment.
  if (Object.hasOwn(attributes, '__proto__')) return assigned(attributes, extra, later);
  const keys = Object.keys(attributes);
  const values: unknown[] = Object.values(attributes);
  for (const key of Object.keys(extra)) {
    if (Object.hasOwn(attributes, key)) values[keys.indexOf(key)] = extra[key];
    else {
      keys.push(key);
      values.push(extra[key]);
    }
  }
  for (const key of later) {
    if (!keys.includes(key)) {
      keys.push(key);
      values.push('');
    }
  }
  const template = rememberedTemplate(keys) ?? newTemplate(keys);
  const result: Attributes = template ? { ...template } : {};
  for (let index = 0; index < keys.length; index += 1) result[keys[index]] = values[index] as Attributes[string];
  return { attributes: result, keys, values };
}

/** The same, the plain way: the reference it must equal. */
function assigned(attributes: Attributes, extra: Attributes, later: readonly string[]): ExportedAttributes {
  const result = Object.assign({}, attributes, extra);
  for (const key of later) if (!Object.hasOwn(result, key)) result[key] = '';
  const keys = Object.keys(result);
  return { attributes: result, keys, values: keys.map((key) => result[key]) };
}
