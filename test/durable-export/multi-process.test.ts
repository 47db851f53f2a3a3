import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { SpoolChild } from './children/child-process';
import { arrivalSummary } from './disk-usage';
import { useSpoolBundle } from './spool-bundle';

const raceChild = fileURLToPath(new URL('./children/lock-race-child.mjs', import.meta.url));

const spoolBundle = useSpoolBundle();

describe('durable export: several processes on one spool directory', () => {
  it('exactly one of 12 processes racing on a stale lock takes it over', async () => {
    for (let round = 0; round < 4; round++) {
      const dir = mkdtempSync(join(tmpdir(), 'spool-race-'));
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      writeFileSync(join(dir, 'lock'), `${dead}\n`);
      const racers = Array.from({ length: 12 }, () => {
        const child = spawn(process.execPath, [raceChild, JSON.stringify({ lockModule: spoolBundle().lock, dir })], { stdio: ['pipe', 'pipe', 'inherit'] });
        const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
        const nextLine = async () => JSON.parse((await lines.next()).value as string) as { ready?: boolean; acquired: boolean; ownerPid: number };
        return { child, nextLine, exited: once(child, 'exit') };
      });
      for (const racer of racers) expect((await racer.nextLine()).ready).toBe(true);
      // Everyone is loaded and waiting: release them all at once.
      for (const racer of racers) racer.child.stdin.write('go\n');
      const results = await Promise.all(racers.map((racer) => racer.nextLine()));
      for (const racer of racers) racer.child.stdin.end();
      await Promise.all(racers.map((racer) => racer.exited));
      const winners = results.filter((r) => r.acquired);
      expect(winners, JSON.stringify(results)).toHaveLength(1);
      // Every loser saw the winner (never the dead pid) as the owner.
      expect(results.every((r) => r.ownerPid === winners[0].ownerPid)).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('a second process gets pid-<pid>; after it is SIGKILLed, the live process adopts and sends its batches', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-cluster-')), 'spool');
    const probe = await startOtlpReceiver();
    await probe.close();
    const common = { bundle: spoolBundle().spool, dir, endpoint: probe.grpcUrl, protocol: 'grpc', adoptIntervalMillis: 300 };
    const first = new SpoolChild({ ...common, mode: 'hold' });
    await first.waitFor((events) => events.some((e) => e.event === 'ready'));
    const second = new SpoolChild({ ...common, mode: 'produce', spansPerRound: 100 });
    await second.waitFor((events) => events.filter((e) => e.event === 'durable').length >= 3);
    expect(first.events[0]).toMatchObject({ directory: dir });
    expect(second.events[0]).toMatchObject({ directory: join(dir, `pid-${second.pid}`) });
    await second.kill();
    const durable = second.durableIds();

    const receiver = await startOtlpReceiver({ grpcPort: Number(new URL(probe.grpcUrl).port) });
    try {
      const received = await receiver.waitFor((spans) => arrivalSummary(durable, spans).missing.length === 0, 20_000);
      const summary = arrivalSummary(durable, received);
      console.log(`adopted from a dead worker: ${durable.length} durable, ${summary.unique} arrived, ${summary.duplicates} duplicates`);
      // The dead worker's directory is gone once adopted.
      for (let i = 0; i < 100 && existsSync(join(dir, `pid-${second.pid}`)); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(join(dir, `pid-${second.pid}`))).toBe(false);
    } finally {
      await first.kill();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a restarted process drains the root left by a dead owner even while another process holds a sub-directory', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'spool-root-')), 'spool');
    const probe = await startOtlpReceiver();
    await probe.close();
    const common = { bundle: spoolBundle().spool, dir, endpoint: probe.grpcUrl, protocol: 'grpc', adoptIntervalMillis: 300 };
    const owner = new SpoolChild({ ...common, mode: 'produce', spansPerRound: 50 });
    await owner.waitFor((events) => events.filter((e) => e.event === 'durable').length >= 2);
    mkdirSync(join(dir, 'pid-1'), { recursive: true }); // pid 1 (init) is alive: its directory is not adopted
    writeFileSync(join(dir, 'pid-1', 'lock'), '1\n');
    await owner.kill();
    const durable = owner.durableIds();
    const receiver = await startOtlpReceiver({ grpcPort: Number(new URL(probe.grpcUrl).port) });
    try {
      const next = new SpoolChild({ ...common, mode: 'drain' });
      await next.waitFor((events) => events.some((e) => e.event === 'stats'));
      expect(next.events[0]).toMatchObject({ directory: dir });
      expect(arrivalSummary(durable, receiver.spans).missing).toEqual([]);
      expect(existsSync(join(dir, 'pid-1', 'lock'))).toBe(true);
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
