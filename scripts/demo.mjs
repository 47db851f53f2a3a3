#!/usr/bin/env node
// `pnpm demo`: builds what examples/agent-demo imports (quietly, without declarations), then runs it, so
// the first thing on the screen is the demo itself.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './published-packages.mjs';
import { buildQuietly } from './quiet-build.mjs';

const started = performance.now();
await buildQuietly(workspacePackagesOf('examples/agent-demo'));
process.stderr.write(`(built the packages the demo uses in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const demo = spawn(process.execPath, [join(REPO_ROOT, 'examples/agent-demo/src/main.mjs')], { stdio: 'inherit', cwd: join(REPO_ROOT, 'examples/agent-demo') });
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/**
 * The packages/ folders a workspace package depends on, directly or not, dependencies first: read from
 * the manifests, so a package added to setup's dependencies is built too (a fixed list missed
 * @llm-otel/budgets, and the demo failed from a fresh clone).
 */
function workspacePackagesOf(from) {
  const order = [];
  const visit = (dir) => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8'));
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      const folder = name.startsWith('@llm-otel/') && String(range).startsWith('workspace:') ? name.slice('@llm-otel/'.length) : undefined;
      if (folder && existsSync(join(REPO_ROOT, 'packages', folder)) && !order.includes(folder)) {
        visit(join('packages', folder));
        if (!order.includes(folder)) order.push(folder);
      }
    }
  };
  visit(from);
  return order;
}
