import { context, diag, propagation, trace, type TextMapPropagator, type TracerProvider } from '@opentelemetry/api';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { endOpenAgentSpans, LlmInstrumentation } from '@llm-otel/instrumentation';
import { createMasker, type Masker, createPseudonymiser } from '@llm-otel/pii';
import { LlmSpanProcessor } from '@llm-otel/processor';
import { resolveAudit, warnIfSamplerDropsCalls, type AuditSettings } from './audit-settings';
import { resolveOwnKeys } from './own-keys';
import { resolveBatchOptions } from './batch-settings';
import { installDiagLoggerFromEnv } from './diag-logger';
import { createDiagnosticMasker, maskDiagnostic, readEnvFlag, warnSetup } from './env-diagnostics';
import { installExitFlush, withDeadline } from './exit-flush';
import { forgetExportFailures, spanExportsAreFailing } from './export-failure-report';
import { DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, resolveExporterSettings, resolveHandleSignals, type ExporterSettings } from './exporter-settings';
import { startMetrics, type MetricsPipeline } from './metrics-pipeline';
import type { SetupOptions } from './options';
import { exporterView } from './exporter-view';
import { buildResource, maskResource } from './resource';
import { propagatorFromEnv } from './propagator-from-env';
import { samplerFromEnv } from './sampler-from-env';
import { readExporterList } from './signal-exporters';
import { buildSpanPipeline, resolveSpool } from './span-pipeline';
import { planBudgets, startBudgets, warnBudgetsOffWhenDisabled } from './budget-settings';
import type { BudgetEngine } from '@llm-otel/budgets';

export interface Telemetry {
  /**
   * Flushes, stops the hooks and the exporters. Safe to call more than once; resolves within
   * `shutdownTimeoutMillis` and never rejects (export failures go to the diagnostic logger).
   */
  shutdown(): Promise<void>;
  /** Exports every span that has ended so far; never rejects (failures go to the diagnostic logger). */
  forceFlush(): Promise<void>;
  readonly tracerProvider: TracerProvider;
  readonly instrumentation: LlmInstrumentation;
  /** Where spans go, after options and `OTEL_*` variables were resolved. */
  readonly exporter: Readonly<ExporterSettings>;
  /** The budget engine, when budgets are on (its `store` holds the spend, for usage reports). */
  readonly budgets?: BudgetEngine;
}

const SINGLETON = Symbol.for('llm-otel.setup.telemetry');
type GlobalSlot = { [SINGLETON]?: Telemetry };

/**
 * Sets up OpenTelemetry for LLM calls in one call: resource, tracer provider, the LLM
 * instrumentation (fetch and undici hooks), PII masking, batching, optional durable spool, and
 * OTLP export (gRPC by default). Call it once, as early as possible; a second call returns the
 * first set-up. Throws at once on options it cannot use; a malformed `OTEL_*` / `LLM_OTEL_*` variable is
 * warned about and its default used, so the application always starts. With OTEL_SDK_DISABLED=true it
 * installs nothing and returns a handle whose methods do nothing.
 */
export function setupTelemetry(options: SetupOptions = {}): Telemetry {
  const slot = globalThis as GlobalSlot;
  const existing = slot[SINGLETON];
  if (existing) {
    diag.warn('llm-otel: setupTelemetry() was called again; returning the first set-up (options of this call are ignored)');
    return existing;
  }
  const env = process.env;
  const warn = warnSetup;
  // An outage seen by an earlier set-up of this process says nothing about this one's pipeline.
  forgetExportFailures();
  // One masker for everything that leaves besides the spans themselves: the resource (traces and
  // metrics get the same masked one), metric attributes, and diag lines.
  const masker: Masker | undefined = options.pii === false ? undefined : createMasker(options.pii ?? {});
  // First, so that every later warning goes through it.
  installDiagLoggerFromEnv(env, createDiagnosticMasker(options.pii === false ? {} : options.pii), warn);
  const keys = resolveOwnKeys(options, env, warn);
  const instrumentation = new LlmInstrumentation({
    ...options.instrumentation,
    fingerprint: keys.fingerprint,
    // Read here too, so a malformed value is reported rather than taken as `false` in silence.
    captureContent: options.captureContent ?? readEnvFlag(env, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', warn),
    providers: options.providers,
    pricing: options.pricing,
    mcp: {
      ...options.instrumentation?.mcp,
      propagateTraceContext: options.instrumentation?.mcp?.propagateTraceContext ?? readEnvFlag(env, 'LLM_OTEL_MCP_PROPAGATE_TRACE_CONTEXT', warn) ?? true,
    },
    enabled: false,
  });
  const exporter = resolveExporterSettings(options, env, warn);
  // User-scoped budgets key spend by the same pseudonym the spans carry (never the raw id).
  const budgetPlan = planBudgets(options, env, warn, keys.pseudonyms ? createPseudonymiser(keys.pseudonyms.key, { keyId: keys.pseudonyms.keyId }) : undefined);
  if (readEnvFlag(env, 'OTEL_SDK_DISABLED', warn) === true) {
    warnBudgetsOffWhenDisabled(options, env, warn);
    return disabledTelemetry(instrumentation, exporter);
  }
  const audit = resolveAudit(options.audit, env, warn);
  const withAuditAttributes = { ...options, resourceAttributes: { ...options.resourceAttributes, ...audit.resourceAttributes } };
  const resource = masker ? maskResource(buildResource(withAuditAttributes), masker) : buildResource(withAuditAttributes);
  const metrics: MetricsPipeline | undefined = startMetrics(options, exporter, resource, masker, env, warn);
  const sampler = options.sampler ?? samplerFromEnv(env, warn);
  if (audit.chain) warnIfSamplerDropsCalls(sampler, warn);
  const tracerProvider = new NodeTracerProvider({
    resource,
    sampler,
    spanProcessors: spanProcessors({ ...options, pseudonyms: keys.pseudonyms }, exporter, env, metrics, audit),
  });
  const registered = registerGlobally(tracerProvider, propagatorFromEnv(env, warn));
  instrumentation.setTracerProvider(tracerProvider);
  if (metrics) instrumentation.setMeterProvider(metrics.meterProvider);
  const budgets = startBudgets(budgetPlan, env, warn, instrumentation, () => String(resource.attributes['service.name']), resolveSpool(options)?.dir);
  instrumentation.enable();

  const deadline = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  let removeExitFlush: (() => void) | undefined;
  let shuttingDown: Promise<void> | undefined;
  const telemetry: Telemetry = {
    tracerProvider,
    instrumentation,
    exporter: exporterView(exporter),
    budgets,
    forceFlush: async () => {
      // Spans of calls whose responses have ended are still being completed (parsing, estimates).
      await instrumentation.flush(deadline);
      await Promise.all([tracerProvider.forceFlush(), metrics?.meterProvider.forceFlush(), budgets?.flush(deadline)]).catch(reportExportFailure);
    },
    // One deadline for the whole shutdown: a hanging backend must not hold it for the exporter's own
    // timeout (what is not sent by then is lost, or stays in the spool when it is on).
    shutdown: () => (shuttingDown ??= withDeadline(shutdownPipeline(), exitDeadline(deadline))),
  };
  async function shutdownPipeline(): Promise<void> {
    removeExitFlush?.();
    instrumentation.disable();
    // Agent and tool spans still open (a run cut short) end now, so their LLM spans keep their parents.
    endOpenAgentSpans();
    await instrumentation.flush(deadline);
    await budgets?.close(deadline);
    if (registered) {
      // Leave the globals as we found them, so a later set-up (or another SDK) can register.
      trace.disable();
      context.disable();
      propagation.disable();
    }
    if (slot[SINGLETON] === telemetry) delete slot[SINGLETON];
    await Promise.all([tracerProvider.shutdown(), metrics?.meterProvider.shutdown()]).catch(reportExportFailure);
  }
  if (resolveHandleSignals(options)) removeExitFlush = installExitFlush(() => telemetry.shutdown());
  slot[SINGLETON] = telemetry;
  return telemetry;
}

/**
 * Measured (a one-call app, preload, Node 20): a backend that refuses http/protobuf connections or
 * never answers held every exit for the whole 5 s deadline, in silence. When the stock exporter's
 * latest export already failed, the backend is known to be down and waiting the full deadline saves
 * nothing: the last attempt gets KNOWN_OUTAGE_DEADLINE_MILLIS. Only the stock path reports outages
 * (the spool keeps its own deadline: it must reach the disk first). The first export of a short-lived
 * process still waits the deadline, as it cannot know; the warning then says so.
 */
const KNOWN_OUTAGE_DEADLINE_MILLIS = 1000;

function exitDeadline(deadline: number): number {
  return spanExportsAreFailing() ? Math.min(deadline, KNOWN_OUTAGE_DEADLINE_MILLIS) : deadline;
}

/** OTEL_TRACES_EXPORTER: the OTLP pipeline (default), the console (masked too: stdout leaves the process) or neither. */
function spanProcessors(
  options: SetupOptions,
  exporter: ExporterSettings,
  env: NodeJS.ProcessEnv,
  metrics: MetricsPipeline | undefined,
  audit: AuditSettings,
): SpanProcessor[] {
  const kinds = readExporterList(env, 'OTEL_TRACES_EXPORTER', warnSetup);
  const batch = resolveBatchOptions(options.batch, env, warnSetup);
  // The chain covers the OTLP record only: the console is not where an auditor reads.
  const processors = kinds.has('otlp')
    ? buildSpanPipeline({ ...options, batch }, exporter, metrics?.meterProvider.getMeter('@llm-otel/setup'), audit)
    : [...(options.spanProcessors ?? [])];
  if (kinds.has('console')) {
    const printing = new BatchSpanProcessor(new ConsoleSpanExporter(), batch);
    processors.push(new LlmSpanProcessor(printing, { pii: options.pii, pseudonyms: options.pseudonyms || undefined }));
  }
  return processors;
}

/** OTEL_SDK_DISABLED=true: no hooks, no exporter, no globals; the handle works and does nothing. */
function disabledTelemetry(instrumentation: LlmInstrumentation, exporter: ExporterSettings): Telemetry {
  diag.info('llm-otel: OTEL_SDK_DISABLED=true; no telemetry is set up');
  return {
    tracerProvider: trace.getTracerProvider(),
    instrumentation,
    exporter: exporterView(exporter),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/**
 * A backend that is down must not turn the application's own shutdown into an error: the failure
 * is reported through the diagnostic logger, and the spans are lost (or safe in the spool).
 */
function reportExportFailure(error: unknown): void {
  diag.error(maskDiagnostic(`llm-otel: spans could not be exported before shutdown; they are lost unless the spool is on: ${String(error)}`));
}

/**
 * Registers our provider, context manager and propagator (OTEL_PROPAGATORS) globally, unless the application already
 * runs its own OpenTelemetry SDK: then ours stays private to the LLM spans, which still join the
 * application's traces through its context manager.
 */
function registerGlobally(provider: NodeTracerProvider, propagator: TextMapPropagator | null): boolean {
  const current = trace.getTracerProvider() as TracerProvider & { getDelegate?: () => TracerProvider };
  const delegate = current.getDelegate?.();
  const alreadyRegistered = delegate !== undefined && delegate.constructor.name !== 'NoopTracerProvider';
  if (alreadyRegistered) {
    diag.warn(
      "llm-otel: a global TracerProvider is already registered; LLM spans go through llm-otel's own pipeline, and parent spans come from the existing context manager",
    );
    return false;
  }
  provider.register({ propagator });
  return true;
}
