import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runNode } from '../support/node-child';

// Issue 15 item 5: peer ranges declared honestly. Every package a published build imports when it loads
// (a static `import … from`) must be installed for the import to work: a dependency or a required peer.
// An optional peer is only honest for what is loaded lazily (a dynamic import, a `require` at first use, or
// a worker's source text, as gpt-tokenizer is). Before: @llm-otel/processor and @llm-otel/audit marked
// @opentelemetry/sdk-trace-base optional while importing BatchSpanProcessor from it at load, so beside an
// SDK of the 3.x line (which has no sdk-trace-base) npm left it out and the import failed; now it is
// required at first use (audit's batch-queue.ts). Reads the built ESM (the process project builds first).

const packagesDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'packages');
const PUBLISHED = ['instrumentation', 'pii', 'processor', 'audit', 'setup', 'cli'];
const BUILTIN = new Set(builtinModules);

/** `@scope/name` or `name` of a bare specifier (`undici/lib/x` → `undici`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function staticImports(distDir: string): Set<string> {
  const names = new Set<string>();
  for (const file of readdirSync(distDir).filter((name) => name.endsWith('.js'))) {
    const code = readFileSync(join(distDir, file), 'utf8');
    for (const match of code.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+\s*from\s*)?"([^".][^"]*)"/g)) {
      const specifier = match[1].replace(/^node:/, '');
      if (!BUILTIN.has(specifier) && !BUILTIN.has(specifier.split('/')[0])) names.add(packageName(specifier));
    }
  }
  return names;
}

test.each(PUBLISHED)('@llm-otel/%s: everything its build imports at load is a dependency or a required peer', (name) => {
  const manifest = JSON.parse(readFileSync(join(packagesDir, name, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  const installed = (dependency: string) =>
    Object.hasOwn(manifest.dependencies ?? {}, dependency) ||
    (Object.hasOwn(manifest.peerDependencies ?? {}, dependency) && !manifest.peerDependenciesMeta?.[dependency]?.optional);
  const distDir = join(packagesDir, name, 'dist');
  expect(
    readdirSync(distDir).some((file) => file.endsWith('.js')),
    `${distDir} is built`,
  ).toBe(true);
  const imported = [...staticImports(distDir)];
  expect(imported.filter((dependency) => !installed(dependency))).toEqual([]);
});

// What an install beside the 3.x line has: no @opentelemetry/sdk-trace-base at all (a resolve hook hides it).
const HIDE_SDK_TRACE_BASE = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(` +
    `"export async function resolve(specifier, context, next) { if (specifier === '@opentelemetry/sdk-trace-base') throw Object.assign(new Error('hidden'), { code: 'ERR_MODULE_NOT_FOUND' }); return next(specifier, context); }"));`,
)}`;

// (The hook sees ESM resolution only: the exporter form's `require` at first use is not hidden by it, so
// its error message is not checked here.)
test('without @opentelemetry/sdk-trace-base installed, processor loads and wraps a queue of the application', async () => {
  const script = [
    `const { LlmSpanProcessor } = await import(${JSON.stringify(join(packagesDir, 'processor/dist/index.js'))});`,
    'const ended = []; const queue = { onStart() {}, onEnd(span) { ended.push(span.name); }, forceFlush: async () => {}, shutdown: async () => {} };',
    "new LlmSpanProcessor(queue, { pii: {} }); console.log('queue form: ok');",
  ].join('\n');
  const exit = await runNode(['--import', HIDE_SDK_TRACE_BASE, '--input-type=module', '-e', script], { cwd: packagesDir });
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
  expect(exit.stdout).toContain('queue form: ok');
});
