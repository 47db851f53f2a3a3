import { afterAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleApplication } from './support/bundle-app';
import { runNode } from './support/node-child';

// The token-count worker as an application meets it: bundled (esbuild, everything in one file, run
// from a directory of its own, no workspace around it) and started under a preload. Issue 9 item 9:
// in a bundle the worker file was not found and estimates vanished without a word; under
// `node --import <preload>` the preload ran a second time inside the worker.

const here = dirname(fileURLToPath(import.meta.url));
const instrumentationDir = join(here, '../packages/instrumentation');
const tokenizerDir = dirname(createRequire(join(instrumentationDir, 'package.json')).resolve('gpt-tokenizer/package.json'));
const scratch = mkdtempSync(join(tmpdir(), 'llm-otel-bundle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type Format = 'esm' | 'cjs';

/**
 * Bundles the app into a directory of its own, with `node_modules` holding only the named packages
 * (linked to the real ones): a deployed bundle with its runtime dependencies installed, or none.
 */
async function bundledApp(name: string, format: Format, installed: Record<string, string>): Promise<string> {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'node_modules/@llm-otel'), { recursive: true });
  for (const [pkg, target] of Object.entries(installed)) symlinkSync(target, join(dir, 'node_modules', pkg), 'dir');
  const outfile = join(dir, format === 'esm' ? 'app.mjs' : 'app.cjs');
  await bundleApplication({
    entry: join(here, 'apps/bundled/estimate-app.mjs'),
    outfile,
    format,
    // As the workspace's tests do: the package's TypeScript sources, no build needed.
    alias: { '@llm-otel/instrumentation': join(instrumentationDir, 'src/index.ts') },
  });
  return outfile;
}

async function spanOf(app: string, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<Record<string, unknown>> {
  const exit = await runNode([...(options.args ?? []), app], { cwd: dirname(app), env: options.env, timeoutMs: 60_000 });
  const line = exit.stdout.split('\n').find((text) => text.startsWith('SPAN '));
  expect(line, `stdout: ${exit.stdout}\nstderr: ${exit.stderr}`).toBeDefined();
  return JSON.parse(line!.slice('SPAN '.length)) as Record<string, unknown>;
}

describe('in an application bundle', () => {
  for (const format of ['esm', 'cjs'] as const) {
    test(`(${format}) with gpt-tokenizer installed beside it, streams without usage still get an estimate`, async () => {
      const app = await bundledApp(`with-tokenizer-${format}`, format, { 'gpt-tokenizer': tokenizerDir });
      const span = await spanOf(app);
      expect(span['llm_otel.usage.estimated']).toBe(true);
      expect(span['gen_ai.usage.output_tokens']).toBe(5); // "Your order ships today." in o200k_base
      expect(span['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    });
  }

  test('without gpt-tokenizer, the span says why it has no estimate', async () => {
    const app = await bundledApp('without-tokenizer', 'esm', {});
    const span = await spanOf(app);
    expect(span['llm_otel.usage.estimated']).toBeUndefined();
    expect(span['gen_ai.usage.output_tokens']).toBeUndefined();
    expect(span['llm_otel.usage.estimate_skipped']).toBe('tokenizer_unavailable');
  });
});

describe('under a preload (node --import), the worker starts clean', () => {
  // Where the worker file used to be found: the package itself installed beside the bundle.
  const installed = () => ({ 'gpt-tokenizer': tokenizerDir, '@llm-otel/instrumentation': instrumentationDir });

  for (const how of ['--import on the command line', '--import in NODE_OPTIONS'] as const) {
    test(`${how}: the preload runs once, in the main thread only`, async () => {
      const app = await bundledApp(`preload-${how.includes('NODE') ? 'env' : 'argv'}`, 'esm', installed());
      const dir = dirname(app);
      const marker = join(dir, 'preload-runs.txt');
      writeFileSync(marker, '');
      writeFileSync(
        join(dir, 'preload.mjs'),
        "import { isMainThread } from 'node:worker_threads';\nimport { appendFileSync } from 'node:fs';\nappendFileSync(process.env.PRELOAD_MARKER, isMainThread ? 'main\\n' : 'worker\\n');\n",
      );
      const env: Record<string, string> = { PRELOAD_MARKER: marker };
      const args: string[] = [];
      if (how.includes('NODE_OPTIONS')) env.NODE_OPTIONS = '--import ./preload.mjs';
      else args.push('--import', './preload.mjs');
      const span = await spanOf(app, { args, env });
      expect(span['llm_otel.usage.estimated']).toBe(true); // the worker did run
      expect(readFileSync(marker, 'utf8')).toBe('main\n');
    });
  }
});
