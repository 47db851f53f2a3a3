import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, test } from 'vitest';
import { DeferredSpanExporter } from '../src/deferred-span-exporter';

const span = { name: 'one' } as unknown as ReadableSpan;
const exported = (exporter: SpanExporter, spans: ReadableSpan[] = [span]) => new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

/** A maker that resolves when told to, counting its calls. */
function gatedMaker(made: SpanExporter) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const maker = { calls: 0, open, make: () => ((maker.calls += 1), gate.then(() => made)) };
  return maker;
}

describe('DeferredSpanExporter: the exporter made at the first export', () => {
  test('nothing is made before an export; exports waiting for it are all delivered, in order, by one made exporter', async () => {
    const inner = new InMemorySpanExporter();
    const maker = gatedMaker(inner);
    const deferred = new DeferredSpanExporter(maker.make);
    expect(maker.calls).toBe(0);
    const first = exported(deferred, [{ name: 'a' } as unknown as ReadableSpan]);
    const second = exported(deferred, [{ name: 'b' } as unknown as ReadableSpan]);
    expect(inner.getFinishedSpans()).toEqual([]);
    maker.open();
    expect(await first).toEqual({ code: ExportResultCode.SUCCESS });
    expect(await second).toEqual({ code: ExportResultCode.SUCCESS });
    expect((await exported(deferred)).code).toBe(ExportResultCode.SUCCESS);
    expect(maker.calls).toBe(1);
    expect(inner.getFinishedSpans().map((s) => s.name)).toEqual(['a', 'b', 'one']);
  });

  test('a maker that fails fails each export with its error, throws nothing, and flush and shutdown still resolve', async () => {
    const deferred = new DeferredSpanExporter(() => Promise.reject(new Error("Cannot find module '@opentelemetry/exporter-trace-otlp-grpc'")));
    const result = await exported(deferred);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toContain('Cannot find module');
    expect((await exported(deferred)).code).toBe(ExportResultCode.FAILED);
    await expect(deferred.forceFlush()).resolves.toBeUndefined();
    await expect(deferred.shutdown()).resolves.toBeUndefined();
  });

  test('shut down before any export: nothing is ever made, and a later export fails', async () => {
    const maker = gatedMaker(new InMemorySpanExporter());
    const deferred = new DeferredSpanExporter(maker.make);
    await deferred.forceFlush();
    await deferred.shutdown();
    expect((await exported(deferred)).code).toBe(ExportResultCode.FAILED);
    expect(maker.calls).toBe(0);
  });

  test('flush and shutdown reach the made exporter, also while it is still being made', async () => {
    const inner = new InMemorySpanExporter();
    const maker = gatedMaker(inner);
    const deferred = new DeferredSpanExporter(maker.make);
    const delivered = exported(deferred);
    const shutDown = deferred.shutdown();
    maker.open();
    await shutDown;
    expect((await delivered).code).toBe(ExportResultCode.SUCCESS);
    // InMemorySpanExporter forgets its spans and refuses exports once shut down.
    expect(inner.getFinishedSpans()).toEqual([]);
    expect((await exported(deferred)).code).toBe(ExportResultCode.FAILED);
  });
});
