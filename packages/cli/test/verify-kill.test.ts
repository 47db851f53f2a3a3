import { startOtlpReceiver, toOtlpJsonRequest } from '@llm-otel/otlp-receiver';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from './cli-child';

const KEY = 'a-key-for-the-sigkill-test-0123456789abcdef';
// Bundled into .tmp/ (git-ignored) beside this package, so the OpenTelemetry packages resolve from its node_modules.
const APP = fileURLToPath(new URL('../.tmp/chained-app.js', import.meta.url));

describe('SIGKILL in the middle of exporting (no spool)', () => {
  beforeAll(async () => {
    buildCli();
    await build({
      entry: { 'chained-app': fileURLToPath(new URL('./fixtures/chained-app.ts', import.meta.url)) },
      outDir: fileURLToPath(new URL('../.tmp', import.meta.url)),
      format: ['esm'],
      dts: false,
      clean: false,
      silent: true,
      noExternal: [/^@llm-otel\//],
      external: [/^@opentelemetry\//],
      esbuildOptions(options) {
        options.alias = { '@llm-otel/audit': fileURLToPath(new URL('../../audit/src/index.ts', import.meta.url)) };
      },
    });
  }, 120_000);

  it('the verifier reports an unterminated chain with no false alarm: nothing altered, no conflict, no gap before the tail', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const child = spawn(process.execPath, [APP], {
        env: { PATH: process.env.PATH ?? '', RECEIVER_URL: receiver.grpcUrl, AUDIT_KEY: KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const closed = new Promise((resolve) => child.on('close', resolve));
      await receiver.waitFor((spans) => spans.length >= 300 && spans.some((span) => span.name === 'llm_otel.chain.checkpoint'), 60_000);
      child.kill('SIGKILL');
      await closed;
      // Anything the receiver was still decoding when the process died.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const dir = mkdtempSync(join(tmpdir(), 'llm-otel-kill-'));
      const keyFile = join(dir, 'key');
      writeFileSync(keyFile, KEY);
      const file = join(dir, 'received.jsonl');
      writeFileSync(file, `${JSON.stringify(toOtlpJsonRequest(receiver.spans))}\n`);
      const result = await runCli(['verify', '--json', '--key-file', `kill-test=${keyFile}`, file]);
      const report = JSON.parse(result.stdout) as {
        chains: {
          alteredCount: number;
          conflictCount: number;
          termination: string;
          removed: number[][];
          missing: number[][];
          lost: number[][];
          unaccounted: number[][];
          lastSeq: number;
          verified: number;
        }[];
      };
      expect(result.status).toBe(1);
      expect(report.chains).toHaveLength(1);
      const chain = report.chains[0]!;
      if (process.env.SHOW_KILL_REPORT) console.log(JSON.stringify(chain));
      expect(chain).toMatchObject({ alteredCount: 0, conflictCount: 0, termination: 'unterminated', lost: [] });
      // A batch in flight when the process died may be missing (or, skipped by a concurrent export's
      // links, unaccounted) while a later one arrived: only at the tail.
      for (const [first] of [...chain.removed, ...chain.missing, ...chain.unaccounted]) expect(first!).toBeGreaterThan(chain.lastSeq - 60);
      expect(chain.verified).toBeGreaterThanOrEqual(300);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
