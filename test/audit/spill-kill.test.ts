import { createSecretKey } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChainVerifier } from '@llm-otel/audit';
import { readDocument } from '@llm-otel/cli';
import { startOtlpReceiver, toOtlpJsonRequest, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from '../support/bundle-child';
import { startNode } from '../support/node-child';

// Issue 13: "a span lost before it was chained is a gap the verifier reports, never a silent hole". A
// spill while the spool's writer waited for asynchronous resource attributes signed the queued spans
// before the waiting batch; a SIGKILL before the writer's turn then left that batch's numbers skipped by
// a later link and declared by nothing: the verifier reported them unaccounted. Now the spill writes the
// waiting batch first, so the killed chain is whole up to where it ended.

const KEY = 'a-key-for-the-spill-kill-test-0123456789';
const setupPackage = fileURLToPath(new URL('../../packages/setup/', import.meta.url));

let receiver: OtlpReceiver;
let scratch: string;
let bundleDir: string | undefined;
let app: string;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-spill-kill-'));
  // Node 20 runs no TypeScript: the child and the sources it uses are bundled, inside packages/setup (its
  // git-ignored .tmp/) so that the OpenTelemetry packages resolve from that package's node_modules.
  mkdirSync(join(setupPackage, '.tmp'), { recursive: true });
  const outDir = mkdtempSync(join(setupPackage, '.tmp', 'spill-kill-'));
  bundleDir = outDir;
  app = await bundleChild(new URL('./children/spill-kill-app.ts', import.meta.url), 'spill-kill-app', outDir, ['audit', 'pii']);
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  rmSync(scratch, { recursive: true, force: true });
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

function start(mode: 'run' | 'run-while-writing' | 'restart', dir: string, endpoint: string) {
  return startNode([app, JSON.stringify({ dir, endpoint, mode })], { cwd: scratch, env: { AUDIT_KEY: KEY }, timeoutMs: 60_000 });
}

describe('SIGKILL right after a spill, then a restart on the same spool', () => {
  it.each([
    ['run', 'while the writer waits for resource attributes with a batch it has not signed yet'],
    ['run-while-writing', 'while the writer is writing a batch it has signed'],
  ] as const)(
    '%s: %s: the killed chain reads as crashed and whole up to its recorded end; the restarted one verifies',
    async (mode) => {
      const dir = join(scratch, `spool-${mode}`);
      // The backend is down while the first process runs: what it wrote reaches the receiver through the restart.
      const down = await startOtlpReceiver();
      await down.close();
      const first = start(mode, dir, down.grpcUrl);
      await first.waitForLine(JSON.stringify({ event: 'spilled', writerHeld: mode === 'run' ? 10 : 1, spills: 1 }));
      first.kill('SIGKILL'); // "run-while-writing" killed itself already
      expect((await first.exited).signal).toBe('SIGKILL');

      receiver.clear();
      const second = start('restart', dir, receiver.grpcUrl);
      const restarted = await second.exited;
      expect(restarted.code, restarted.stderr).toBe(0);
      const spans = receiver.spans;
      const verifier = new ChainVerifier({ keys: new Map([['spill-kill', createSecretKey(Buffer.from(KEY))]]) });
      for (const record of readDocument(JSON.parse(JSON.stringify(toOtlpJsonRequest(spans)))).records) verifier.add(record);
      const report = verifier.finish();
      if (process.env.SHOW_KILL_REPORT) console.log(JSON.stringify(report));

      const restartedId = spans.find((span) => span.attributes['work.mode'] === 'restart')?.attributes['llm_otel.chain.id'];
      const killed = report.chains.find((chain) => chain.chainId !== restartedId);
      const gaps = { removed: [], missing: [], lost: [], unaccounted: [] };
      // On disk at the kill: the writer's batch (1-10) and the spilled one (11-20). The 10 spans still
      // queued were numbered, never signed: past the recorded end, the crash's loss, not a gap.
      expect(killed).toMatchObject({ termination: 'crashed', verified: 20, lastSeq: 20, alteredCount: 0, conflictCount: 0, ...gaps });
      expect(killed?.recoveredBy).toEqual({ chainId: restartedId, lastSeq: 20 });
      expect(report.chains.find((chain) => chain.chainId === restartedId)).toMatchObject({ termination: 'final-checkpoint', ok: true, ...gaps });
      expect(report.ok).toBe(true);
    },
    120_000,
  );
});
