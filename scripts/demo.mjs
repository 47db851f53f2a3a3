#!/usr/bin/env node
// `pnpm demo`: builds what examples/agent-demo imports (quietly, without declarations), then runs it, so
// the first thing on the screen is the demo itself.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './published-packages.mjs';
import { buildQuietly } from './quiet-build.mjs';

const started = performance.now();
await buildQuietly(['audit', 'pii', 'instrumentation', 'processor', 'setup', 'otlp-receiver', 'provider-stand-in']);
process.stderr.write(`(built the packages the demo uses in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
const demo = spawn(process.execPath, [join(REPO_ROOT, 'examples/agent-demo/src/main.mjs')], { stdio: 'inherit', cwd: join(REPO_ROOT, 'examples/agent-demo') });
demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
