import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OtlpReceiver, startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { describe, expect, it } from 'vitest';
import { SpoolChild } from './children/child-process';
import { arrivalSummary, filesUnder } from './disk-usage';
import { useSpoolBundle } from './spool-bundle';

const spoolBundle = useSpoolBundle();

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'spool-crash-')), 'spool');
}

/** Free ports for a receiver that is not running yet. */
async function closedReceiverUrls(): Promise<{ grpcPort: number; httpPort: number; grpcUrl: string; httpUrl: string }> {
  const probe = await startOtlpReceiver();
  await probe.close();
  return { grpcPort: Number(new URL(probe.grpcUrl).port), httpPort: Number(new URL(probe.httpUrl).port), grpcUrl: probe.grpcUrl, httpUrl: probe.httpUrl };
}

describe('durable export: SIGKILL and restart', () => {
  it('after a kill mid-write every durable batch arrives; a torn file is quarantined, torn temp files removed', async () => {
    const dir = freshDir();
    const ports = await closedReceiverUrls();
    // Backend down; big spans so that a write is always under way when the kill comes.
    const writer = new SpoolChild({
      bundle: spoolBundle().spool,
      dir,
      endpoint: ports.grpcUrl,
      protocol: 'grpc',
      mode: 'produce',
      spansPerRound: 300,
      attributeBytes: 2000,
    });
    await writer.waitFor((events) => events.filter((e) => e.event === 'durable').length >= 5);
    await writer.kill();
    const durable = writer.durableIds();
    const left = filesUnder(dir);
    console.log(
      `killed writer after ${durable.length} durable spans; left behind: ${left.length} files (${left.filter((f) => f.endsWith('.tmp')).length} temp)`,
    );
    expect(left).toContain('lock');

    // A torn batch (as after a power cut before the fsync) and a torn temp file.
    const batches = left.filter((name) => name.endsWith('.otlp')).sort();
    const tornName = `${String(Date.now()).padStart(14, '0')}-9999999999-1.otlp`;
    copyFileSync(join(dir, batches[0]), join(dir, tornName));
    truncateSync(join(dir, tornName), 1000);
    writeFileSync(join(dir, `${String(Date.now()).padStart(14, '0')}-9999999998-1.otlp.tmp`), readFileSync(join(dir, batches[0])).subarray(0, 500));

    const receiver = await startOtlpReceiver({ grpcPort: ports.grpcPort, httpPort: ports.httpPort });
    try {
      const restarted = new SpoolChild({ bundle: spoolBundle().spool, dir, endpoint: ports.grpcUrl, protocol: 'grpc', mode: 'drain' });
      await restarted.waitFor((events) => events.some((e) => e.event === 'stats'));
      const stats = restarted.finalStats()!;
      expect((await restarted.exited).code).toBe(0);
      const summary = arrivalSummary(durable, receiver.spans);
      console.log(
        `after restart: ${summary.unique} unique span ids arrived (${durable.length} were durable), ${summary.duplicates} duplicates, ${summary.missing.length} missing; restart stats ${JSON.stringify(stats)}`,
      );
      expect(summary.missing).toEqual([]);
      expect(stats).toMatchObject({ quarantinedFiles: 1, spoolFiles: 0, directory: dir });
      expect(readdirSync(join(dir, 'quarantine'))).toEqual([tornName]);
      expect(filesUnder(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      // The restarted process took over the dead writer's lock and released its own at shutdown.
      expect(filesUnder(dir)).not.toContain('lock');
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after a kill mid-send (backend hanging) the batch in flight is sent again after restart', async () => {
    const dir = freshDir();
    const receiver = await startOtlpReceiver();
    try {
      receiver.setBehaviour({ hang: true });
      // A send times out after 2 s and is retried; forceFlush gives up waiting at the same deadline.
      const writer = new SpoolChild({
        bundle: spoolBundle().spool,
        dir,
        endpoint: receiver.httpUrl,
        protocol: 'http/protobuf',
        mode: 'produce',
        spansPerRound: 200,
        rounds: 3,
        timeoutMillis: 2000,
      });
      await writer.waitFor((events) => events.filter((e) => e.event === 'durable').length >= 1);
      // Kill right after a new export request arrived and hangs: the child is mid-send.
      const hanging = receiver.rejectedRequests;
      while (receiver.rejectedRequests === hanging) await new Promise((resolve) => setTimeout(resolve, 5));
      await writer.kill();
      const durable = writer.durableIds();
      expect(durable.length).toBeGreaterThan(0);
      expect(receiver.spans).toHaveLength(0);

      receiver.setBehaviour(undefined);
      const restarted = new SpoolChild({ bundle: spoolBundle().spool, dir, endpoint: receiver.httpUrl, protocol: 'http/protobuf', mode: 'drain' });
      await restarted.waitFor((events) => events.some((e) => e.event === 'stats'));
      const summary = arrivalSummary(durable, receiver.spans);
      console.log(
        `mid-send kill: ${durable.length} durable, ${summary.unique} unique arrived, ${summary.duplicates} duplicates, ${summary.missing.length} missing`,
      );
      expect(summary.missing).toEqual([]);
      expect(restarted.finalStats()).toMatchObject({ spoolFiles: 0, droppedSpans: 0 });
    } finally {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
