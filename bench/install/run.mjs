// Install benchmark: what a user downloads. Packs the packages a user installs (setup,
// instrumentation, pii, processor) and the workspace packages they depend on (audit, budgets: on the
// registry those come with them) with pnpm, installs the tarballs with npm into an empty folder, and
// prints the installed size, the largest packages, every package installed more than once, and
// the copies of OpenTelemetry packages and undici. Prints; never fails on a missed target.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { publishedPackages } from '../../scripts/published-packages.mjs';

const run = promisify(execFile);
const PUBLISHED = ['instrumentation', 'pii', 'processor', 'setup'];
/**
 * The folders to pack: PUBLISHED and every published package they depend on, read from the manifests
 * (a fixed list broke the install once setup depended on @llm-otel/audit and @llm-otel/budgets: npm
 * looked for them on the registry).
 */
function foldersToPack() {
  const published = publishedPackages();
  const needed = new Set(PUBLISHED.map((folder) => `@llm-otel/${folder}`));
  for (const pkg of [...published].reverse()) {
    if (!needed.has(pkg.name)) continue;
    for (const dependency of Object.keys(pkg.manifest.dependencies ?? {})) if (published.some((p) => p.name === dependency)) needed.add(dependency);
  }
  return published.filter((pkg) => needed.has(pkg.name)).map((pkg) => pkg.dir);
}
const TARGET_MB = 60;

/** Bytes of every file under `dir` (no symlinks: npm installs copies). */
async function sizeOf(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}

/** Every installed package: name, version, folder, and its own size (nested node_modules excluded). */
async function installedPackages(nodeModules, found = []) {
  let entries;
  try {
    entries = await readdir(nodeModules, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? (await readdir(join(nodeModules, entry.name), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => join(nodeModules, entry.name, e.name))
      : [join(nodeModules, entry.name)];
    for (const dir of dirs) {
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}'));
      if (!manifest.name) continue;
      const total = await sizeOf(dir);
      const nested = join(dir, 'node_modules');
      const nestedSize = await sizeOf(nested).catch(() => 0);
      found.push({ name: manifest.name, version: manifest.version, dir, bytes: total - nestedSize });
      await installedPackages(nested, found);
    }
  }
  return found;
}

const mb = (bytes) => (bytes / 1e6).toFixed(1);
const workDir = await mkdtemp(join(tmpdir(), 'llm-otel-install-'));
try {
  const tarballs = [];
  for (const dir of foldersToPack()) {
    const { stdout } = await run('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', workDir], { cwd: dir });
    tarballs.push(stdout.trim().split('\n').pop());
  }
  const consumer = join(workDir, 'consumer');
  await run('mkdir', [consumer]);
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'install-bench', version: '0.0.0', private: true }));
  const started = performance.now();
  await run('npm', ['install', ...tarballs, '--no-audit', '--no-fund'], { cwd: consumer, timeout: 300_000 });
  const seconds = (performance.now() - started) / 1000;
  const nodeModules = join(consumer, 'node_modules');
  const packages = await installedPackages(nodeModules);
  const total = await sizeOf(nodeModules);
  const { stdout: npmVersion } = await run('npm', ['--version']);

  console.log(
    `llm-otel install benchmark: npm install of the packed tarballs of setup, instrumentation, pii and processor (with ${tarballs.length - PUBLISHED.length} workspace packages they depend on) into an empty folder`,
  );
  console.log(`node ${process.version} · npm ${npmVersion.trim()} · install took ${seconds.toFixed(1)} s (registry and cache included)`);
  console.log(
    `\ninstalled: ${mb(total)} MB in ${packages.length} packages (target for setup with its dependencies ≤ ${TARGET_MB} MB: ${total / 1e6 <= TARGET_MB ? 'met' : 'NOT met'})`,
  );
  console.log('\nlargest packages (own files, MB):');
  for (const p of [...packages].sort((a, b) => b.bytes - a.bytes).slice(0, 12)) {
    console.log(`  ${mb(p.bytes).padStart(6)}  ${p.name}@${p.version}  ${relative(consumer, p.dir)}`);
  }
  const byName = new Map();
  for (const p of packages) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const duplicated = [...byName].filter(([, copies]) => copies.length > 1);
  const duplicateBytes = duplicated.reduce((sum, [, copies]) => sum + copies.slice(1).reduce((s, c) => s + c.bytes, 0), 0);
  console.log(`\npackages installed more than once: ${duplicated.length} (${mb(duplicateBytes)} MB in the extra copies)`);
  for (const [name, copies] of duplicated) console.log(`  ${name}: ${copies.map((c) => `${c.version} at ${relative(consumer, c.dir)}`).join('; ')}`);
  const watched = [...byName].filter(([name]) => name.startsWith('@opentelemetry/') || name === 'undici');
  const single = watched.every(([, copies]) => copies.length === 1);
  console.log(`\nOpenTelemetry packages and undici: ${watched.length} packages, ${single ? 'one copy of each' : 'NOT one copy of each'}`);
  console.log(`  ${watched.map(([name, copies]) => `${name}@${copies.map((c) => c.version).join('+')}`).join(', ')}`);
  for (const name of PUBLISHED) {
    const manifest = JSON.parse(await readFile(join(nodeModules, '@llm-otel', name, 'package.json'), 'utf8'));
    const fields = ['dependencies', 'peerDependencies', 'optionalDependencies'].filter((f) => manifest[f] && Object.keys(manifest[f]).length);
    console.log(
      `\n@llm-otel/${name}: ${
        fields
          .map(
            (f) =>
              `${f} ${Object.entries(manifest[f])
                .map(([d, r]) => `${d}@${r}`)
                .join(', ')}`,
          )
          .join('; ') || 'no dependencies'
      }`,
    );
  }
  const tokenizer = byName.get('gpt-tokenizer');
  console.log(`\ngpt-tokenizer: ${tokenizer ? `installed, ${mb(tokenizer[0].bytes)} MB` : 'not installed (token estimates need `npm install gpt-tokenizer`)'}`);
} finally {
  await rm(workDir, { recursive: true, force: true });
}
