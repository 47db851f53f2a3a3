#!/usr/bin/env node
// `node scripts/package-metadata.mjs`: gives every published package (every non-private one under
// packages/) what test/packaging.test.ts requires of it, from the root package.json: author, homepage,
// repository with its directory, bugs, publishConfig, a prepack that runs the build, `files` without
// source maps, a LICENSE copy and a CHANGELOG.md. Idempotent; a new package (e.g. budgets) needs only
// its own `keywords` afterwards. Existing values of other fields are left as they are.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { publishedPackages, REPO_ROOT } from './published-packages.mjs';

const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const repository = root.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

for (const { dir, manifest } of publishedPackages()) {
  const folder = basename(dir);
  const files = ['dist', '!dist/**/*.map', 'README.md', 'CHANGELOG.md', 'LICENSE', ...(existsSync(join(dir, 'NOTICE')) ? ['NOTICE'] : [])];
  const updated = {
    ...manifest,
    author: root.author,
    homepage: `${repository}/tree/main/packages/${folder}#readme`,
    repository: { type: 'git', url: root.repository.url, directory: `packages/${folder}` },
    bugs: root.bugs,
    keywords: manifest.keywords ?? ['opentelemetry', 'otel', 'llm', 'genai', 'gen-ai', 'observability', 'tracing'],
    files,
    scripts: { ...manifest.scripts, prepack: manifest.scripts?.build ?? 'tsup' },
    publishConfig: { access: 'public' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(updated, null, 2)}\n`);
  copyFileSync(join(REPO_ROOT, 'LICENSE'), join(dir, 'LICENSE'));
  if (!existsSync(join(dir, 'CHANGELOG.md'))) {
    writeFileSync(join(dir, 'CHANGELOG.md'), `# ${manifest.name}\n\nReleases are written here by Changesets (see CONTRIBUTING.md).\n`);
  }
  process.stdout.write(`${manifest.name}: metadata, LICENSE, CHANGELOG.md\n`);
}
