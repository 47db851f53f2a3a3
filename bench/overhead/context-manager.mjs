import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

/**
 * Registers and activates the AsyncLocalStorage context manager, as every OpenTelemetry Node app
 * has it (NodeTracerProvider and @llm-otel/setup register it), so the baseline pays for context
 * propagation too. On Node < 24 AsyncLocalStorage turns on a process-wide promise hook at its first
 * use, which the BatchSpanProcessor's first export would otherwise trigger mid-run (context.with):
 * use it now, so it is on in every round.
 */
export function activateContextManager() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  context.with(context.active(), () => undefined);
}
