import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMasker } from '@llm-otel/pii';
import { fakeSecret } from './support/fake-secrets';
import { labelledSpans } from './support/labelled-spans';

interface CorpusItem {
  id: string;
  lang: string;
  text: string;
  pii: Array<[string, string]>;
}

const PLACEHOLDERS: Record<string, (seed: string) => string> = {
  OPENAI_PROJECT: fakeSecret.openaiProject,
  OPENAI_SVCACCT: fakeSecret.openaiServiceAccount,
  OPENAI_ADMIN: fakeSecret.openaiAdmin,
  OPENAI_LEGACY: fakeSecret.openaiLegacy,
  ANTHROPIC: fakeSecret.anthropic,
  AWS_ACCESS: fakeSecret.awsAccessKey,
  AWS_SESSION: fakeSecret.awsSessionKey,
  AWS_SECRET: fakeSecret.awsSecretKey,
  GITHUB_PAT: fakeSecret.githubPat,
  GITHUB_OAUTH: fakeSecret.githubOauth,
  GITHUB_FINE: fakeSecret.githubFineGrained,
  GOOGLE: fakeSecret.google,
  JWT: fakeSecret.jwt,
  BEARER: (seed) => fakeSecret.opaque(seed, 40),
  PASSWORD: (seed) => fakeSecret.opaque(seed, 14),
  SIG: (seed) => fakeSecret.opaque(seed, 43),
  OAUTH_CODE: (seed) => fakeSecret.opaque(seed, 24),
  SLACK: fakeSecret.slackBot,
  STRIPE: fakeSecret.stripeLive,
  GITLAB: fakeSecret.gitlabPat,
};

function fillPlaceholders(text: string): string {
  return text.replace(/\{\{([A-Z_]+)(?:#([0-9]+))?\}\}/g, (_, name: string, n: string | undefined) => {
    const make = PLACEHOLDERS[name];
    if (!make) throw new Error(`unknown placeholder ${name}`);
    return make(`${name}#${n ?? '1'}`);
  });
}

const corpusPath = fileURLToPath(new URL('../../../test/pii-corpus/corpus.jsonl', import.meta.url));
const corpus: CorpusItem[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusItem)
  .map((item) => ({ ...item, text: fillPlaceholders(item.text), pii: item.pii.map(([type, value]) => [type, fillPlaceholders(value)]) }));

const RECALL_ONE = [
  'CREDIT_CARD',
  'US_SSN',
  'KR_RRN',
  'EMAIL',
  'IBAN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'GITHUB_TOKEN',
  'GOOGLE_API_KEY',
  'JWT',
  'BEARER_TOKEN',
  'URL_CREDENTIAL',
  'SLACK_TOKEN',
  'STRIPE_KEY',
  'GITLAB_TOKEN',
];

describe('labelled PII corpus', () => {
  it('has at least 150 items, in English and Korean, with near-misses', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(new Set(corpus.map((item) => item.lang))).toEqual(new Set(['en', 'ko']));
    expect(corpus.filter((item) => item.pii.length === 0).length).toBeGreaterThanOrEqual(50);
  });

  it('meets recall 1.0 on cards, SSNs, RRNs, e-mails, IBANs and secret formats, and precision ≥ 0.98 overall', () => {
    const masker = createMasker();
    const stats = new Map<string, { tp: number; fp: number; fn: number }>();
    const stat = (type: string) => {
      let entry = stats.get(type);
      if (!entry) stats.set(type, (entry = { tp: 0, fp: 0, fn: 0 }));
      return entry;
    };
    const errors: string[] = [];
    for (const item of corpus) {
      const expected = new Set(labelledSpans(item));
      const found = new Set(masker.scan(item.text).map((f) => `${f.type} ${f.start} ${f.end}`));
      for (const span of found) {
        const [type, start, end] = span.split(' ');
        if (expected.has(span)) stat(type!).tp++;
        else {
          stat(type!).fp++;
          errors.push(`${item.id} false positive ${type} "${item.text.slice(Number(start), Number(end))}"`);
        }
      }
      for (const span of expected) {
        if (found.has(span)) continue;
        const [type, start, end] = span.split(' ');
        stat(type!).fn++;
        errors.push(`${item.id} missed ${type} "${item.text.slice(Number(start), Number(end))}"`);
      }
    }

    const rows = [...stats]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, { tp, fp, fn }]) => ({
        type,
        labelled: tp + fn,
        found: tp + fp,
        precision: tp + fp === 0 ? 1 : tp / (tp + fp),
        recall: tp + fn === 0 ? 1 : tp / (tp + fn),
      }));
    const total = [...stats.values()].reduce((sum, s) => ({ tp: sum.tp + s.tp, fp: sum.fp + s.fp, fn: sum.fn + s.fn }), { tp: 0, fp: 0, fn: 0 });
    const overall = { precision: total.tp / (total.tp + total.fp), recall: total.tp / (total.tp + total.fn) };
    console.log(
      [
        `PII corpus: ${corpus.length} items, ${total.tp + total.fn} labelled spans`,
        'type                 labelled  found  precision  recall',
        ...rows.map(
          (r) =>
            `${r.type.padEnd(20)} ${String(r.labelled).padStart(8)} ${String(r.found).padStart(6)} ${r.precision.toFixed(3).padStart(10)} ${r.recall.toFixed(3).padStart(7)}`,
        ),
        `${'overall'.padEnd(20)} ${String(total.tp + total.fn).padStart(8)} ${String(total.tp + total.fp).padStart(6)} ${overall.precision.toFixed(3).padStart(10)} ${overall.recall.toFixed(3).padStart(7)}`,
        ...errors,
      ].join('\n'),
    );

    for (const type of RECALL_ONE) {
      const row = rows.find((r) => r.type === type);
      expect(row, `${type} is labelled in the corpus`).toBeDefined();
      expect(row!.recall, `${type} recall`).toBe(1);
    }
    expect(overall.precision).toBeGreaterThanOrEqual(0.98);
  });
});
