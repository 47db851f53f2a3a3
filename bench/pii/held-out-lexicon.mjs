// Issue 10: "keep the test corpus's vocabulary apart from the detector's lexicons, or the figure means
// nothing". Presidio's synthetic set was generated with Python Faker, the name gazetteers come from
// @faker-js/faker: both draw on similar name lists, so a held-out name is often a gazetteer entry. This
// builds @llm-otel/pii from its sources with every word of the held-out half's PERSON labels taken out of
// the gazetteers (`names-data.ts` replaced at bundle time; the package itself is unchanged), so that the
// external figure can be quoted both ways: with the shipped lexicons, and with the test names unseen.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PII = new URL('../../packages/pii/', import.meta.url);
// esbuild comes with tsup, the workspace's build tool (a root dev dependency): no new dependency.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild');

/** The words of a label as the gazetteers hold them: letters (with ' ’ -), first letter capitalised. */
export function labelWords(text) {
  return (text.match(/[\p{L}\p{M}]+(?:['’-][\p{L}\p{M}]+)*/gu) ?? []).map((word) => word[0].toUpperCase() + word.slice(1));
}

/** Every word of the PERSON labels of the given items (the external set's format). */
export function personLabelWords(items) {
  const words = new Set();
  for (const item of items) {
    for (const span of item.spans)
      if (span.entity_type === 'PERSON') for (const word of labelWords(item.full_text.slice(span.start_position, span.end_position))) words.add(word);
  }
  return words;
}

/** The shipped gazetteers, read from the generated source. */
export function shippedLexicons() {
  const source = readFileSync(new URL('src/lexicon/names-data.ts', PII), 'utf8');
  const lists = {};
  for (const [, name, value] of source.matchAll(/export const (\w+) = ("(?:[^"\\]|\\.)*");/g)) lists[name] = JSON.parse(value).split(' ');
  return lists;
}

/** How many labels have all, some or none of their words in the shipped Latin-script gazetteers. */
export function lexiconOverlap(items) {
  const lists = shippedLexicons();
  const lexicon = new Set([...lists.FIRST_NAMES, ...lists.FAMILY_NAMES]);
  const counts = { labels: 0, allWordsInLexicon: 0, someWordsInLexicon: 0, noWordInLexicon: 0 };
  for (const item of items) {
    for (const span of item.spans) {
      if (span.entity_type !== 'PERSON') continue;
      const hits = labelWords(item.full_text.slice(span.start_position, span.end_position)).map((word) => lexicon.has(word));
      counts.labels += 1;
      if (hits.length > 0 && hits.every(Boolean)) counts.allWordsInLexicon += 1;
      else if (hits.some(Boolean)) counts.someWordsInLexicon += 1;
      else counts.noWordInLexicon += 1;
    }
  }
  const words = personLabelWords(items);
  counts.distinctWords = words.size;
  counts.distinctWordsInLexicon = [...words].filter((word) => lexicon.has(word)).length;
  return counts;
}

/** `createMasker` of a build whose gazetteers lack `excluded`, and how many entries were taken out. */
export async function maskerFactoryWithout(excluded) {
  const lists = shippedLexicons();
  let removed = 0;
  const filtered = Object.entries(lists).map(([name, words]) => {
    const kept = words.filter((word) => !excluded.has(word));
    removed += words.length - kept.length;
    return `export const ${name} = ${JSON.stringify(kept.join(' '))};`;
  });
  const outfile = fileURLToPath(new URL('.tmp/held-out-lexicon-masker.mjs', PII));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('src/index.ts', PII))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    plugins: [
      {
        name: 'held-out-lexicon',
        setup(build) {
          build.onLoad({ filter: /[\\/]lexicon[\\/]names-data\.ts$/ }, () => ({ contents: filtered.join('\n'), loader: 'ts' }));
        },
      },
    ],
  });
  const { createMasker } = await import(`${pathToFileURL(outfile).href}?${Date.now()}`);
  return { createMasker, removed };
}
