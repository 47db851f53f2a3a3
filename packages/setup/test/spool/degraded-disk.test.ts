import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startOtlpReceiver } from '@llm-otel/otlp-receiver';
import { afterEach, describe, expect, it } from 'vitest';
import { setupTelemetry } from '../../src/setup';
import { encodeBatchFile } from '../../src/spool/batch-file-format';
import { batchFileName } from '../../src/spool/batch-file-name';
import { endSpans, useSpoolHarness } from './harness';
import { useTempDirs } from './temp-dirs';

const harness = useSpoolHarness();
const tempDir = useTempDirs('spool-degraded-');

/** A valid batch file of `count` spans named `waiting <i>`, as an earlier process left it; returns the span ids. */
function writeWaitingBatch(dir: string, count: number, sequence = 1): string[] {
  const exporter = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('earlier');
  for (let i = 0; i < count; i++) tracer.startSpan(`waiting ${i}`).end();
  const spans = exporter.getFinishedSpans();
  const created = Date.now() - 1000;
  writeFileSync(join(dir, batchFileName(created, sequence, 1)), encodeBatchFile(ProtobufTraceSerializer.serializeRequest(spans)!, count, created), {
    mode: 0o600,
  });
  return spans.map((span) => span.spanContext().spanId);
}

const until = async (condition: () => boolean, what: string, timeoutMillis = 20_000) => {
  const deadline = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('a spool directory with entries the spool never makes', () => {
  it('a directory or a dangling symlink named like a batch (or a temp file) is left alone; the rest is sent', async () => {
    const dir = join(tempDir(), 'spool');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const waiting = writeWaitingBatch(dir, 3, 5);
    mkdirSync(join(dir, batchFileName(Date.now() - 3000, 1, 1)));
    symlinkSync(join(dir, 'nowhere'), join(dir, batchFileName(Date.now() - 2000, 2, 1)));
    mkdirSync(join(dir, `${batchFileName(Date.now() - 2000, 3, 1)}.tmp`));
    mkdirSync(join(dir, 'rejected', 'a-directory'), { recursive: true });
    const processor = harness.spool({ dir });
    const fresh = endSpans(processor, 4);
    await processor.forceFlush();
    const received = await harness.receiver.waitForSpans(7);
    expect(new Set(received.map((s) => s.spanId))).toEqual(new Set([...waiting, ...fresh]));
    expect(processor.stats()).toMatchObject({ degraded: false, spoolFiles: 0, quarantinedFiles: 0 });
    expect(harness.messages.filter((m) => m.includes('is named like a batch but is'))).toHaveLength(2);
  });
});

describe('a spool directory that cannot be created', () => {
  it('(a path under a regular file: ENOTDIR, even as root) degrades to memory and still exports', async () => {
    const file = join(tempDir(), 'not-a-directory');
    writeFileSync(file, '');
    const processor = harness.spool({ dir: join(file, 'spool'), diskRetryMillis: 50 });
    expect(processor.stats()).toMatchObject({ degraded: true });
    expect(processor.directory).toBe(join(file, 'spool'));
    const ids = endSpans(processor, 30);
    await processor.forceFlush();
    expect(new Set((await harness.receiver.waitForSpans(30)).map((s) => s.spanId))).toEqual(new Set(ids));
    expect(harness.messages.filter((m) => m.includes('ENOTDIR'))).toHaveLength(1); // retries fail again quietly
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.messages.filter((m) => m.includes('ENOTDIR'))).toHaveLength(1);
  });
});

const isRoot = process.getuid?.() === 0;

describe('a full disk', () => {
  const mounts: string[] = [];
  afterEach(() => {
    for (const mount of mounts.splice(0)) spawnSync('umount', [mount]);
  });

  /** A 64 KiB tmpfs; undefined (with the reason printed) where it cannot be mounted. */
  function smallDisk(): string | undefined {
    if (!isRoot) {
      console.log('skipped: mounting a tmpfs needs root (CI runs as root)');
      return undefined;
    }
    const mount = tempDir();
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mount], { encoding: 'utf8' });
    if (result.status !== 0) {
      console.log(`skipped: mount -t tmpfs failed: ${result.stderr || result.error?.message}`);
      return undefined;
    }
    mounts.push(mount);
    return mount;
  }

  /** Fills the file system up to its last free block. */
  function fill(mount: string): void {
    for (let size = 64 * 1024; size >= 512; size /= 2) {
      try {
        writeFileSync(join(mount, `filler-${size}`), Buffer.alloc(size), { flag: 'wx' });
      } catch {
        rmSync(join(mount, `filler-${size}`), { force: true });
      }
    }
  }

  it('set-up degrades to memory instead of throwing (ENOSPC taking the lock), still exports, keeps the waiting batch and resumes spooling once there is room', async (test) => {
    const mount = smallDisk();
    if (!mount) return test.skip();
    const dir = join(mount, 'spool');
    mkdirSync(dir, { mode: 0o700 });
    const waiting = writeWaitingBatch(dir, 3);
    fill(mount);

    // The backend refuses at first (UNAVAILABLE), so what set-up could not write stays in memory. A
    // refusing receiver rather than a closed port: under a parallel run another test's receiver can take
    // a port this test freed, and would then accept the batch.
    const backend = await startOtlpReceiver();
    backend.setBehaviour({ grpcStatus: 14 });
    const processor = harness.spool({ dir, endpoint: backend.grpcUrl, diskRetryMillis: 100 });
    expect(processor.stats()).toMatchObject({ degraded: true });
    expect(harness.messages.some((m) => /ENOSPC/.test(m) && m.includes('kept in memory'))).toBe(true);
    const early = endSpans(processor, 50);
    await processor.forceFlush();
    expect(processor.stats()).toMatchObject({ degraded: true, memoryBatches: 1, droppedSpans: 0 });

    for (const name of readdirSync(mount)) if (name.startsWith('filler')) unlinkSync(join(mount, name));
    await until(() => !processor.stats().degraded, 'the spool to resume writing to disk');
    expect(processor.stats()).toMatchObject({ memoryBatches: 0, spoolFiles: 2 });
    expect(readdirSync(dir).filter((name) => name.endsWith('.otlp'))).toHaveLength(2);
    expect(harness.messages.some((m) => m.includes('is writable again; 1 batches moved from memory to disk'))).toBe(true);
    // Every failed retry cleaned up after itself.
    expect(readdirSync(dir).filter((name) => name.startsWith('lock.') || name === 'disk-probe')).toEqual([]);

    backend.setBehaviour(undefined);
    try {
      const received = await backend.waitFor((spans) => spans.length >= 53, 20_000);
      expect(new Set(received.map((s) => s.spanId))).toEqual(new Set([...waiting, ...early]));
      await processor.shutdown();
    } finally {
      await backend.close();
    }
  });

  it('setupTelemetry({ spool }) on a full disk returns (the application starts) and its spans are still exported', async (test) => {
    const mount = smallDisk();
    if (!mount) return test.skip();
    fill(mount);
    const telemetry = setupTelemetry({
      serviceName: 'full-disk',
      endpoint: harness.receiver.grpcUrl,
      handleSignals: false,
      spool: { dir: join(mount, 'spool') },
    });
    try {
      trace.getTracer('app').startSpan('after a full-disk start').end();
      await telemetry.forceFlush();
      expect((await harness.receiver.waitForSpans(1)).map((span) => span.name)).toEqual(['after a full-disk start']);
    } finally {
      await telemetry.shutdown();
    }
  });

  it('a write that fails on a full disk keeps the batch in memory, sent from there, instead of dropping it', async (test) => {
    const mount = smallDisk();
    if (!mount) return test.skip();
    const dir = join(mount, 'spool');
    const processor = harness.spool({ dir, diskRetryMillis: 60_000 });
    expect(processor.stats().degraded).toBe(false);
    fill(mount);
    const ids = endSpans(processor, 200, { filler: 'z'.repeat(500) });
    await processor.forceFlush();
    const received = await harness.receiver.waitForSpans(200);
    expect(new Set(received.map((s) => s.spanId))).toEqual(new Set(ids));
    expect(processor.stats()).toMatchObject({ degraded: true, droppedSpans: 0 });
  });
});
