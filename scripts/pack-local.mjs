#!/usr/bin/env node
// `pnpm pack:local [--out DIR]`: packs every published package (each `prepack` builds it) into DIR
// (default ./llm-otel-packages) and prints the commands that install them into an application, for as
// long as the packages are not on the registry. The tarballs must be installed together: each one's
// dependencies on its siblings (`^0.1.0`) are found among them instead of on the registry.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { publishedPackages, REPO_ROOT } from './published-packages.mjs';

// --no-build: pack what `pnpm run build` already made (the packaging test), skipping each prepack.
const build = !process.argv.includes('--no-build');
const outIndex = process.argv.indexOf('--out');
const out = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(REPO_ROOT, 'llm-otel-packages'));
mkdirSync(out, { recursive: true });
for (const file of readdirSync(out)) if (file.startsWith('llm-otel-') && file.endsWith('.tgz')) rmSync(join(out, file));

const packages = publishedPackages();
const tarballs = [];
for (const pkg of packages) {
  process.stderr.write(`packing ${pkg.name} ...\n`);
  // pnpm, not npm: it rewrites workspace: ranges to the siblings' versions. Its prepack (tsup) output is kept out of sight.
  const args = ['-y', 'pnpm@10', 'pack', '--pack-destination', out, ...(build ? [] : ['--config.ignore-scripts=true'])];
  execFileSync('npx', args, { cwd: pkg.dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = pkg.name.replace(/^@/, '').replace('/', '-');
  tarballs.push({ name: pkg.name, file: join(out, `${base}-${pkg.manifest.version}.tgz`) });
}
const libraries = tarballs.filter((tarball) => tarball.name !== '@llm-otel/cli').map((tarball) => tarball.file);
const cli = tarballs.find((tarball) => tarball.name === '@llm-otel/cli');
process.stdout.write(
  `\n${tarballs.length} packages in ${out}\n\nIn your application's folder:\n\n  npm install ${libraries.join(' ')}\n` +
    (cli ? `\nThe viewer (llm-otel view):\n\n  npx -y --package ${cli.file} llm-otel view\n` : ''),
);
