import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, toOtlpJsonRequest, type OtlpReceiver } from '@llm-otel/otlp-receiver';
import { buildCli, runCli } from '../../packages/cli/test/cli-child';

// Issue 13: "a SIGKILL mid-export with the spool on, then restart: the verifier reports a clean chain or
// an exact gap, never a false alarm". The killed chain must read as crashed (the restart recorded where it
// ended, from the spool's chain head), not as truncated; every gap it reports must be exactly the
// sequence numbers that never arrived; nothing altered, no conflict; the restarted chain ends cleanly.

const KEY = 'a-key-for-the-spool-sigkill-test-0123456789';
const APP = fileURLToPath(new URL('./children/audit-kill-app.mjs', import.meta.url));

let receiver: OtlpReceiver;
let scratch: string;
beforeAll(async () => {
  buildCli();
  receiver = await startOtlpReceiver();
  scratch = mkdtempSync(join(tmpdir(), 'llm-otel-audit-kill-'));
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function start(mode: 'run' | 'restart', dir: string) {
  const child = spawn(process.execPath, [APP, JSON.stringify({ dir, endpoint: receiver.grpcUrl, mode })], {
    env: { PATH: process.env.PATH ?? '', AUDIT_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, closed, stderr: () => stderr };
}

type ChainJson = {
  chainId: string;
  alteredCount: number;
  conflictCount: number;
  termination: string;
  lastSeq: number;
  verified: number;
  removed: number[][];
  missing: number[][];
  lost: number[][];
  unaccounted: number[][];
  recoveredBy?: { chainId: string; lastSeq: number };
};

const expand = (ranges: number[][]) => ranges.flatMap(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, index) => from! + index));

describe('SIGKILL mid-export with the spool on, then a restart on the same spool', () => {
  it.each([1, 2])(
    'run %i: the killed chain reads as crashed, with no false alarm; the restarted one verifies',
    async () => {
      receiver.clear();
      const dir = join(scratch, `spool-${Date.now()}`);
      const first = start('run', dir);
      // Mid-export: spans are flowing and at least one periodic checkpoint is out.
      await receiver.waitFor((spans) => spans.length >= 300 && spans.some((span) => span.attributes['llm_otel.chain.checkpoint'] === 'periodic'), 60_000);
      first.child.kill('SIGKILL');
      await first.closed;
      const second = start('restart', dir);
      expect(await second.closed, second.stderr()).toBe(0);
      // The receiver may still be decoding the last request.
      await new Promise((resolve) => setTimeout(resolve, 300));

      const spans = receiver.spans;
      const file = join(scratch, `received-${Date.now()}.jsonl`);
      writeFileSync(file, `${JSON.stringify(toOtlpJsonRequest(spans))}\n`);
      const keyFile = join(scratch, 'key');
      writeFileSync(keyFile, KEY);
      const result = await runCli(['verify', '--json', '--key-file', `kill-test=${keyFile}`, file]);
      const report = JSON.parse(result.stdout) as { chains: ChainJson[]; ok: boolean };
      if (process.env.SHOW_KILL_REPORT) console.log(JSON.stringify(report));
      expect(report.chains).toHaveLength(2);

      const restartedId = spans.find((span) => span.attributes['work.mode'] === 'restart')?.attributes['llm_otel.chain.id'];
      const killed = report.chains.find((chain) => chain.chainId !== restartedId)!;
      const restarted = report.chains.find((chain) => chain.chainId === restartedId)!;
      expect(restarted).toMatchObject({
        alteredCount: 0,
        conflictCount: 0,
        termination: 'final-checkpoint',
        removed: [],
        missing: [],
        lost: [],
        unaccounted: [],
      });
      // Crashed, not truncated: the restart recorded where the killed chain ended.
      expect(killed).toMatchObject({ alteredCount: 0, conflictCount: 0, termination: 'crashed' });
      expect(killed.recoveredBy?.chainId).toBe(restartedId);
      // Every gap reported is exactly a sequence number that never arrived, and every one that never arrived
      // is reported, up to the chain's known end (its last link, a checkpoint's high-water mark, the
      // recorded end). That includes numbers a later link skips (numbered, never signed, the process died
      // before a checkpoint could declare them): the verifier reports those as unaccounted, never as nothing.
      const links = spans.filter((span) => span.attributes['llm_otel.chain.id'] === killed.chainId);
      const arrived = new Set(links.map((span) => span.attributes['llm_otel.chain.seq']));
      let end = Math.max(killed.lastSeq, killed.recoveredBy?.lastSeq ?? 0);
      for (const link of links) end = Math.max(end, Number(link.attributes['llm_otel.chain.checkpoint.numbered'] ?? 0));
      const absent = Array.from({ length: end }, (_, index) => index + 1).filter((seq) => !arrived.has(seq));
      const reported = [killed.removed, killed.missing, killed.lost, killed.unaccounted].flatMap(expand);
      expect(reported.sort((a, b) => a - b)).toEqual(absent);
      // Exit status 0 exactly when nothing is absent (the restarted chain verified above).
      expect(result.status).toBe(absent.length === 0 ? 0 : 1);
      expect(killed.verified).toBeGreaterThanOrEqual(300);
    },
    180_000,
  );
});
