import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { boundedLines } from './lines';

export interface InputDocument {
  /** Where, for reports: "file:line". */
  where: string;
  /** The parsed JSON, or undefined with `problem` set. */
  json?: unknown;
  problem?: string;
}

export interface InputOptions {
  /** One line (an OTLP request, a Jaeger response) at most this long; default 256 MiB. */
  maxLineBytes: number;
  onBytes: (bytes: number) => void;
}

function parse(text: string, where: string): InputDocument {
  try {
    return { where, json: JSON.parse(text) as unknown };
  } catch {
    return { where, problem: 'malformed JSON' };
  }
}

/**
 * The JSON documents of one input, streamed: one per line (the Collector's file exporter, compact API
 * responses, Jaeger v3's streamed chunks), so a 1 GB file needs memory for one line at a time. A file
 * whose first line is not JSON by itself is taken as one pretty-printed document, read whole up to
 * `maxLineBytes` (the stated bound for single documents).
 */
export async function* readInput(path: string, options: InputOptions): AsyncGenerator<InputDocument> {
  const name = path === '-' ? 'stdin' : path;
  const open = (): Readable => (path === '-' ? process.stdin : createReadStream(path));
  let multiLine = false;
  let firstChecked = false;
  let document: string[] = [];
  let documentBytes = 0;
  for await (const line of boundedLines(open(), options.maxLineBytes, options.onBytes)) {
    const where = `${name}:${line.lineNumber}`;
    if ('tooLong' in line) {
      if (multiLine) return yield { where: name, problem: `document larger than ${options.maxLineBytes} bytes` };
      // A line too long to hold says the input is line-oriented: later lines are read one by one.
      firstChecked = true;
      yield { where, problem: `line longer than ${options.maxLineBytes} bytes, skipped` };
      continue;
    }
    if (!firstChecked) {
      if (line.text.trim() === '') continue;
      firstChecked = true;
      const first = parse(line.text, where);
      if (first.problem && /^\s*[[{]/.test(line.text)) multiLine = true;
      else {
        yield first;
        continue;
      }
    }
    if (multiLine) {
      documentBytes += line.text.length + 1;
      if (documentBytes > options.maxLineBytes) return yield { where: name, problem: `document larger than ${options.maxLineBytes} bytes` };
      document.push(line.text);
      continue;
    }
    if (line.text.trim() !== '') yield parse(line.text, where);
  }
  if (multiLine) {
    const text = document.join('\n');
    document = [];
    yield parse(text, name);
  }
}

export function inputSize(path: string): number | undefined {
  if (path === '-') return undefined;
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
