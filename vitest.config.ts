import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * Whole-process and soak tests: they run child processes of built packages (exit, crash, packaging,
 * the README recipe), open thousands of streams, or bound memory. They need `pnpm run build` first
 * and take most of the suite's time, so CI runs them on one Node leg (.ci/run).
 */
const PROCESS_TESTS = [
  // child processes on the built packages
  'test/lifecycle.test.ts',
  'test/packaging.test.ts',
  'test/node-sdk-readme.test.ts',
  'test/readme-snippets.test.ts',
  'test/caller-safety/process-exit.test.ts',
  'test/caller-safety/memory-backend-down.test.ts',
  'test/durable-export/crash-recovery.test.ts',
  'test/durable-export/multi-process.test.ts',
  'packages/provider-stand-in/test/cli.test.ts',
  // the agent demo (the README's first command) on the built packages
  'test/agent/agent-demo.test.ts',
  'test/agent/readme-agent-story.test.ts',
  // llm-otel verify in a child process (each test file bundles the CLI first, about a second)
  'packages/cli/test/verify.e2e.test.ts',
  'packages/cli/test/verify-large.test.ts',
  'packages/cli/test/verify-kill.test.ts',
  // llm-otel usage in a child process against a file store and a real redis-server
  'packages/cli/test/usage.e2e.test.ts',
  // llm-otel view in a child process: the real setup exporters into it, hostile clients, Ctrl-C
  'test/cli-view/view-exporters.test.ts',
  'packages/cli/test/view-hostile.test.ts',
  // issue 13's wiring: setupTelemetry with the chain on, a SIGKILLed child with the spool, both verified by the CLI
  'test/audit/setup-verify.test.ts',
  'test/audit/audit-kill.test.ts',
  // issue 14: spend in the budget file store across restarts (bundles its child first)
  'test/budgets/file-store-restart.test.ts',
  // issue 15: every SDK example of examples/ as a child process of the built packages
  'test/examples/sdk-examples.test.ts',
  // issue 15: what each build imports at load against its declared dependencies and peers
  'test/versions/declared-dependencies.test.ts',
  // the global dispatcher in a plain node process (openai 4 on Node 20, undici's API), built packages
  'test/versions/plain-process-dispatcher.test.ts',
  // soak and memory: 10,000 streams, the estimate backlog
  'test/caller-safety/concurrent-streams.test.ts',
  'test/caller-safety/token-estimate-backlog.test.ts',
];
// A renamed file must not slip silently into the e2e project (and out of this one).
for (const file of PROCESS_TESTS) {
  if (!existsSync(fileURLToPath(new URL(`./${file}`, import.meta.url)))) throw new Error(`vitest.config.ts: PROCESS_TESTS lists ${file}, which does not exist`);
}

// Tests import the workspace packages by name; they resolve to the TypeScript sources so the unit and
// end-to-end projects need no build. The process project runs the built ESM and CommonJS output.
export default defineConfig({
  resolve: {
    alias: {
      '@llm-otel/instrumentation': src('instrumentation'),
      '@llm-otel/pii': src('pii'),
      '@llm-otel/processor': src('processor'),
      '@llm-otel/budgets/report': fileURLToPath(new URL('./packages/budgets/src/report/index.ts', import.meta.url)),
      '@llm-otel/budgets': src('budgets'),
      '@llm-otel/audit/verify': fileURLToPath(new URL('./packages/audit/src/verify/index.ts', import.meta.url)),
      '@llm-otel/audit': src('audit'),
      '@llm-otel/cli': src('cli'),
      '@llm-otel/setup': src('setup'),
      '@llm-otel/otlp-receiver': src('otlp-receiver'),
      '@llm-otel/provider-stand-in': src('provider-stand-in'),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      // One package at a time, in process: `pnpm test:unit`.
      { extends: true, test: { name: 'unit', include: ['packages/*/test/**/*.test.ts'], exclude: PROCESS_TESTS } },
      // Real SDKs against the provider stand-in, real OTLP exporters into the receiver, in process.
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: [...PROCESS_TESTS, '**/node_modules/**'] } },
      { extends: true, test: { name: 'process', include: PROCESS_TESTS } },
    ],
  },
});
