import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// A clone is all a reader has: every relative link of the repository's Markdown resolves to a file in
// it, and no text points outside it (DESIGN.md used to cite `../shared/research/...`, issue 15).

const repo = fileURLToPath(new URL('..', import.meta.url));
const SKIP = new Set(['node_modules', '.git', 'dist', 'llm-otel-packages']);

function markdownFiles(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry) || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) markdownFiles(full, found);
    else if (entry.endsWith('.md')) found.push(full);
  }
  return found;
}

describe('Markdown readable from a clone', () => {
  const files = [...markdownFiles(repo), path.join(repo, '.changeset/README.md')].filter(
    (file) => !file.includes(`${path.sep}test${path.sep}fixtures${path.sep}`),
  );

  test('no reference to files outside the repository', () => {
    const outside = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/(?:\.\.\/shared\/|\/work\/)[^\s)`'"]*/g)].map((match) => `${path.relative(repo, file)}: ${match[0]}`);
    });
    expect(outside).toEqual([]);
  });

  test('every relative link resolves to a file or folder of the repository', () => {
    const broken = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
        .map((match) => match[1])
        .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
        .map((target) => target.split('#')[0])
        .filter((target) => {
          const resolved = path.resolve(path.dirname(file), target);
          return !resolved.startsWith(repo) || !existsSync(resolved);
        })
        .map((target) => `${path.relative(repo, file)} → ${target}`);
    });
    expect(broken).toEqual([]);
  });
});
