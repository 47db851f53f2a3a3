import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { startProviderStandIn, type ProviderStandIn } from '@llm-otel/provider-stand-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/node-child';
import { isLlmSpan } from '../support/telemetry';

// Issue 8 item 8: with the spool on, a process that dies by process.exit(1), an uncaught exception or an
// unhandled rejection right after its last calls lost every span still queued. The children run the built
// packages (`pnpm test` builds first), as users do.
const testDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const app = path.join(testDir, 'durable-export', 'children', 'crash-app.mjs');

let standIn: ProviderStandIn;
beforeAll(async () => {
  standIn = await startProviderStandIn({ scenario: 'realistic-chat', recordRequests: false });
});
afterAll(async () => {
  await standIn.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((name) => statSync(path.join(dir, name)).isFile());
}

describe('durable export: a process that crashes right after its last calls', () => {
  for (const crash of ['exit', 'uncaught', 'rejection'] as const) {
    it(`${crash}: the exit code and Node's own report are unchanged, and every span ended before it arrives after a restart`, async () => {
      const dir = path.join(mkdtempSync(path.join(tmpdir(), 'spool-crash-exit-')), 'spool');
      // The backend is down while the application runs: nothing can leave but through the spool.
      const probe = await startOtlpReceiver();
      await probe.close();
      const config = { dir, endpoint: probe.grpcUrl, providerUrl: standIn.url };
      try {
        const crashed = await runNode([app, JSON.stringify({ ...config, crash })], { cwd: testDir, timeoutMs: 60_000 });
        expect(crashed.code, crashed.stderr).toBe(1);
        if (crash !== 'exit') expect(crashed.stderr).toContain(`boom: ${crash === 'uncaught' ? 'uncaught' : 'unhandled rejection'}`);
        const ended = JSON.parse(crashed.stdout.split('\n').find((line) => line.includes('"ended"'))!).ids as string[];
        const onDisk = filesUnder(dir).filter((name) => name.endsWith('.otlp'));
        expect(onDisk.length).toBeGreaterThan(0);
        // Masked before it reached the disk, on this path too.
        for (const name of onDisk) expect(readFileSync(path.join(dir, name)).includes('example.com')).toBe(false);

        const receiver = await startOtlpReceiver({ grpcPort: Number(new URL(probe.grpcUrl).port) });
        try {
          const restarted = await runNode([app, JSON.stringify({ ...config, crash: 'restart' })], { cwd: testDir, timeoutMs: 60_000 });
          expect(restarted.code, restarted.stderr).toBe(0);
          const spans = await receiver.waitFor(
            (all) => ended.every((id) => all.some((span) => span.spanId === id)) && all.filter(isLlmSpan).length >= 3,
            20_000,
          );
          const llm = spans.filter(isLlmSpan);
          console.log(`${crash}: ${ended.length} spans of the application and ${llm.length} LLM spans arrived after the restart`);
          expect(new Set(llm.map((span) => span.spanId)).size).toBe(3);
          for (const span of llm) expect(String(span.attributes['gen_ai.input.messages'])).toContain('<EMAIL>');
          for (const span of spans) expect(JSON.stringify(span.attributes)).not.toContain('example.com');
          // The host detector's answer (read from /etc/machine-id asynchronously) is on spans written at exit too.
          if (existsSync('/etc/machine-id')) expect(spans.filter((span) => span.resource['host.id'] === undefined).map((span) => span.name)).toEqual([]);
        } finally {
          await receiver.close();
        }
      } finally {
        rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    }, 120_000);
  }

  it('a diag logger that throws in the exit listener changes neither the exit code nor what Node prints', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'spool-crash-exit-')), 'spool');
    const probe = await startOtlpReceiver();
    await probe.close();
    try {
      const crashed = await runNode([app, JSON.stringify({ dir, endpoint: probe.grpcUrl, providerUrl: standIn.url, crash: 'exit-3-throwing-logger' })], {
        cwd: testDir,
        timeoutMs: 60_000,
      });
      expect(crashed.code).toBe(3);
      expect(crashed.stderr).not.toContain('the application logger fails');
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }, 120_000);
});
