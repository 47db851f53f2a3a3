import { diag } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { maskDiagnostic, warnSetup } from './env-diagnostics';

interface Exporter {
  export(items: never, resultCallback: (result: ExportResult) => void): void;
}

/** Signals whose latest export failed, in this process (see exitDeadline in setup.ts). */
const failingSignals = new Set<'spans' | 'metrics'>();

export function forgetExportFailures(): void {
  failingSignals.clear();
}

/** Whether the latest export of the stock span exporter failed: the backend is known to be down. */
export function spanExportsAreFailing(): boolean {
  return failingSignals.has('spans');
}

/**
 * The stock exporters report a failed export only to `diag`, which prints nothing unless a logger is
 * installed: a dead or misconfigured backend lost every span in silence. This says so once per
 * outage (a process warning the first time, see env-diagnostics.ts), and when exports recover.
 */
export function reportingFailures<T extends Exporter>(exporter: T, signal: 'spans' | 'metrics', url: string): T {
  const original = exporter.export.bind(exporter) as (items: unknown, resultCallback: (result: ExportResult) => void) => void;
  let failing = false;
  const reporting = (items: unknown, resultCallback: (result: ExportResult) => void) =>
    original(items, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        if (failing) diag.info(maskDiagnostic(`llm-otel: exporting ${signal} to ${url} works again`));
        failing = false;
        failingSignals.delete(signal);
      } else if (!failing) {
        failing = true;
        failingSignals.add(signal);
        const reason = result.error?.message ? `: ${result.error.message.slice(0, 300)}` : '';
        warnSetup(
          `llm-otel: exporting ${signal} to ${url} failed${reason}. Those ${signal} are lost unless the spool is on; further failures of this outage are logged through diag only (OTEL_LOG_LEVEL=debug)`,
        );
      }
      resultCallback(result);
    });
  (exporter as unknown as { export: typeof reporting }).export = reporting;
  return exporter;
}
