// Precision and recall per type on the labelled corpora, printed by run.mjs next to throughput.
// - test/pii-corpus/entities.jsonl and corpus.jsonl (committed, written for this project); a finding
//   counts when its type and exact span match a label.
// - An external set when PII_EXTERNAL_SET points at presidio-research's data/synth_dataset_v2.json
//   (https://github.com/microsoft/presidio-research, MIT; not committed here). Its spans were generated
//   with other conventions (an address label may include the name line, a name may be lower case), so
//   a PERSON or STREET_ADDRESS finding counts when it overlaps a label of its type. Only the odd-numbered
//   items are scored: the even ones were read while writing the rules (dev half).
import { readFileSync } from 'node:fs';

const CORPUS_DIR = new URL('../../test/pii-corpus/', import.meta.url);

function readJsonl(name) {
  return readFileSync(new URL(name, CORPUS_DIR), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.includes('{{')) // secret placeholders are filled only by the test
    .map((line) => JSON.parse(line));
}

function exactSpans(item) {
  const from = new Map();
  return item.pii.map(([type, value]) => {
    const start = item.text.indexOf(value, from.get(value) ?? 0);
    from.set(value, start + value.length);
    return `${type} ${start} ${start + value.length}`;
  });
}

/** Rows of precision and recall per type over the committed corpora. */
export function corpusScores(masker) {
  const stats = new Map();
  const stat = (type) => stats.get(type) ?? stats.set(type, { tp: 0, fp: 0, fn: 0 }).get(type);
  for (const item of [...readJsonl('entities.jsonl'), ...readJsonl('corpus.jsonl')]) {
    const found = masker.scan(item.text).map((f) => `${f.type} ${f.start} ${f.end}`);
    const labels = exactSpans(item);
    for (const label of labels) stat(label.split(' ')[0])[found.includes(label) ? 'tp' : 'fn']++;
    for (const finding of found) if (!labels.includes(finding)) stat(finding.split(' ')[0]).fp++;
  }
  return [...stats].sort(([a], [b]) => a.localeCompare(b)).map(([type, s]) => row(type, s));
}

function row(type, s) {
  return {
    type,
    precision: (s.tp / Math.max(1, s.tp + s.fp)).toFixed(2),
    recall: s.tp + s.fn === 0 ? '' : (s.tp / (s.tp + s.fn)).toFixed(2),
    tp: s.tp,
    fp: s.fp,
    fn: s.fn,
  };
}

// The external set's entity names → ours (its other types, ORGANIZATION, GPE, DATE_TIME, TITLE, NRP,
// ZIP_CODE, DOMAIN_NAME, have no counterpart here).
const EXTERNAL_TYPES = {
  PERSON: 'PERSON',
  STREET_ADDRESS: 'STREET_ADDRESS',
  AGE: 'AGE',
  PHONE_NUMBER: 'PHONE',
  CREDIT_CARD: 'CREDIT_CARD',
  EMAIL_ADDRESS: 'EMAIL',
  IBAN_CODE: 'IBAN',
  IP_ADDRESS: 'IP_ADDRESS',
  US_SSN: 'US_SSN',
  US_DRIVER_LICENSE: 'US_DRIVER_LICENSE',
};

/** The external set's held-out half (odd-numbered items), or undefined when no path is given. */
export function heldOutItems(path = process.env.PII_EXTERNAL_SET) {
  if (!path) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')).filter((_, i) => i % 2 === 1);
}

/** Overlap precision and recall per type on the external set's held-out half, or undefined. */
export function externalScores(masker, path = process.env.PII_EXTERNAL_SET) {
  const items = heldOutItems(path);
  if (!items) return undefined;
  const rows = [];
  for (const [theirs, type] of Object.entries(EXTERNAL_TYPES)) {
    const s = { tp: 0, fp: 0, fn: 0 };
    for (const item of items) {
      const labels = item.spans.filter((span) => span.entity_type === theirs);
      const found = masker.scan(item.full_text).filter((f) => f.type === type);
      const overlaps = (f, l) => Math.min(f.end, l.end_position) > Math.max(f.start, l.start_position);
      for (const l of labels) s[found.some((f) => overlaps(f, l)) ? 'tp' : 'fn']++;
      for (const f of found) if (!labels.some((l) => overlaps(f, l))) s.fp++;
    }
    rows.push(row(type, s));
  }
  return { items: items.length, rows };
}
