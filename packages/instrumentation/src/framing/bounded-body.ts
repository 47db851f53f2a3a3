import type { SalvageFields } from '../providers/adapter';
import { describeJsonFailure } from './json-failure';

const EDGE = 64 * 1024;

/**
 * Collects a non-streamed response body up to a bound. Past the bound nothing more is copied: only
 * the first and the last 64 KiB are kept, because that is where providers put ids, the model and
 * usage, and a partial object is salvaged from them.
 */
export class BoundedBody {
  private parts: string[] = [];
  private length = 0;
  private head = '';
  // The tail as a queue of pieces, so a long run of small pushes does not copy 64 KiB each time.
  private tailParts: string[] = [];
  private tailLength = 0;
  truncated = false;

  constructor(
    private readonly maxLength: number,
    /** Which fields a truncated body's partial object is made of: the adapter's (ProviderAdapter.salvage). */
    private readonly fields: SalvageFields = {},
  ) {}

  push(text: string): void {
    if (!this.truncated) {
      if (this.length + text.length <= this.maxLength) {
        this.parts.push(text);
        this.length += text.length;
        return;
      }
      const all = this.parts.join('') + text;
      this.parts = [];
      this.truncated = true;
      this.head = all.slice(0, EDGE);
      this.pushTail(all.slice(-EDGE));
      return;
    }
    this.pushTail(text);
  }

  private pushTail(text: string): void {
    this.tailParts.push(text);
    this.tailLength += text.length;
    while (this.tailParts.length > 1 && this.tailLength - this.tailParts[0].length >= EDGE) {
      this.tailLength -= this.tailParts.shift()!.length;
    }
  }

  /** The body parsed as JSON, a salvaged partial object when truncated, or the raw text. */
  finish(): { json: unknown } | { text: string; error: string } {
    if (this.truncated) return { json: salvage(this.fields, this.head, this.tailParts.join('').slice(-EDGE)) };
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    try {
      return { json: JSON.parse(text) };
    } catch (error) {
      return { text, error: describeJsonFailure('response body', text, error) };
    }
  }
}

/** The fields an adapter names, read from the head and tail of an oversized JSON body. */
function salvage(fields: SalvageFields, head: string, tail: string): Record<string, unknown> {
  const partial: Record<string, unknown> = {};
  for (const field of fields.leadingStrings ?? []) {
    const value = firstString(head, field);
    if (value !== undefined) partial[field] = value;
  }
  for (const field of fields.trailingObjects ?? []) {
    const value = lastObject(tail, field);
    if (value !== undefined) partial[field] = value;
  }
  for (const field of fields.trailingStrings ?? []) {
    const value = lastString(tail, field);
    if (value !== undefined) partial[field] = value;
  }
  for (const field of fields.trailingNumbers ?? []) {
    const match = new RegExp(`"${field}"\\s*:\\s*(\\d+)`).exec(tail);
    if (match) partial[field] = Number(match[1]);
  }
  return partial;
}

function firstString(text: string, field: string): string | undefined {
  const match = new RegExp(`"${field}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){0,512})"`).exec(text);
  return match ? (JSON.parse(`"${match[1]}"`) as string) : undefined;
}

function lastString(text: string, field: string): string | undefined {
  const at = text.lastIndexOf(`"${field}"`);
  return at === -1 ? undefined : firstString(text.slice(at), field);
}

function lastObject(text: string, field: string): unknown {
  const at = text.lastIndexOf(`"${field}"`);
  if (at === -1) return undefined;
  const open = text.indexOf('{', at);
  if (open === -1) return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) {
      try {
        return JSON.parse(text.slice(open, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
