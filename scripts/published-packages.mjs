// The packages that go to the registry: every package under packages/ that is not private. The
// packaging test and `pnpm pack:local` share this list, so a new package is covered when it is added.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** @returns {{ dir: string, name: string, manifest: Record<string, unknown> }[]} in dependency order (dependencies first). */
export function publishedPackages() {
  const packagesDir = join(REPO_ROOT, 'packages');
  const found = readdirSync(packagesDir)
    .map((entry) => join(packagesDir, entry))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => ({ dir, name: manifest.name, manifest }));
  const names = new Set(found.map((pkg) => pkg.name));
  const ordered = [];
  const visit = (pkg, seen = new Set()) => {
    if (ordered.includes(pkg) || seen.has(pkg.name)) return;
    seen.add(pkg.name);
    for (const dependency of Object.keys(pkg.manifest.dependencies ?? {})) {
      const sibling = found.find((candidate) => candidate.name === dependency && names.has(dependency));
      if (sibling) visit(sibling, seen);
    }
    ordered.push(pkg);
  };
  for (const pkg of found.sort((a, b) => a.name.localeCompare(b.name))) visit(pkg);
  return ordered;
}
