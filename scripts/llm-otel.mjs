#!/usr/bin/env node
// `pnpm llm-otel <command>` from a clone, before the packages are on the registry: builds the CLI (one
// bundled file, about a second, quietly) and runs it. Ctrl-C reaches the CLI directly (same process
// group); this wrapper only waits for it and exits with its status (0 after Ctrl-C).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './published-packages.mjs';
import { buildQuietly } from './quiet-build.mjs';

await buildQuietly(['cli']);
const cli = spawn(process.execPath, [join(REPO_ROOT, 'packages/cli/dist/main.js'), ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
// 130 is the CLI's answer to Ctrl-C, the normal way to stop `view`; pnpm would print ELIFECYCLE for it.
cli.on('exit', (code, signal) => process.exit(code === 130 || signal === 'SIGINT' ? 0 : (code ?? 1)));
