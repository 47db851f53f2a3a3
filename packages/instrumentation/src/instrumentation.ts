import { createNoopMeter, trace, type Meter, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { InstrumentationBase, type InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { resolveConfig, type LlmInstrumentationConfig, type ResolvedConfig } from './config';
import { releaseAgentSpanSource, useAgentSpanSource, type AgentSpanSource } from './agent/span-source';
import { CallStarter } from './hooks/call-starter';
import { FetchHook } from './hooks/fetch-hook';
import { UndiciHook } from './hooks/undici-hook';
import { PriceBook } from './pricing/price-book';
import { ADAPTERS, EndpointRegistry } from './providers/registry';
import { SEMCONV_SCHEMA_URL } from './semconv';
import { CallMetrics } from './span/call-metrics';
import { readSemconvStability } from './span/semconv-stability';
import type { CallEnvironment } from './span/llm-call';
import { PendingCompletions } from './span/pending-llm-spans';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version';

/**
 * Records every LLM call the process makes over HTTP as a GenAI CLIENT span. It patches no SDK
 * module: it hooks `globalThis.fetch` and the global undici dispatcher, so it works under ESM,
 * bundlers and with any SDK built on fetch or undici. Use it inside an existing NodeSDK
 * (`instrumentations: [new LlmInstrumentation()]`) or through `@llm-otel/setup`.
 */
export class LlmInstrumentation extends InstrumentationBase<LlmInstrumentationConfig> {
  // `declare`d, never initialised: InstrumentationBase's constructor calls enable() and
  // _updateMetricInstruments() before subclass field initialisers would run, and an initialiser
  // would then wipe what they set.
  declare private state?: {
    resolved: ResolvedConfig;
    env: CallEnvironment;
    fetchHook: FetchHook;
    undiciHook: UndiciHook;
  };
  declare private metrics?: CallMetrics;
  declare private hooksInstalled?: boolean;
  declare private schemaTracer?: Tracer;
  declare private pendingCompletions?: Set<Promise<void>>;
  declare private agentSpans?: AgentSpanSource;

  constructor(config: LlmInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** No module is patched: the hooks are at the HTTP layer. */
  protected init(): InstrumentationModuleDefinition[] {
    return [];
  }

  override setConfig(config: LlmInstrumentationConfig = {}): void {
    super.setConfig(config);
    if (this.state) {
      const wasInstalled = this.hooksInstalled;
      this.removeHooks();
      this.state = undefined;
      if (wasInstalled) this.installHooks();
    }
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    this.schemaTracer = tracerProvider.getTracer(PACKAGE_NAME, PACKAGE_VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
  }

  /** Our tracer carries the semconv schema URL (InstrumentationBase's own tracer has none). */
  private spanTracer(): Tracer {
    // The global provider is a proxy: its tracers delegate to whatever provider is registered later.
    return (this.schemaTracer ??= trace.getTracerProvider().getTracer(PACKAGE_NAME, PACKAGE_VERSION, { schemaUrl: SEMCONV_SCHEMA_URL }));
  }

  /** This instrumentation's meter, so that an extension's metrics (@llm-otel/budgets) share its scope. */
  get sharedMeter(): Meter {
    return this.meter;
  }

  protected override _updateMetricInstruments(): void {
    // No meter provider (the API's no-op meter, which a provider registered later never replaces):
    // no chunk gaps, summaries or attribute copies per call for instruments that drop everything.
    this.metrics = isNoopMeter(this.meter) ? undefined : new CallMetrics(this.meter);
  }

  /**
   * Resolves once every LLM call whose response has ended has its span ended too (span end waits for
   * end-of-call parsing and, for streams without usage, a token estimate), or when `timeoutMillis`
   * passes. Call it before flushing or shutting down the tracer provider; setupTelemetry() does.
   */
  async flush(timeoutMillis = 5000): Promise<void> {
    const pending = [...this.completions()];
    if (pending.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      // Referenced: whoever awaits flush() must see it settle before the loop can empty.
      timer = setTimeout(resolve, timeoutMillis);
    });
    await Promise.race([Promise.all(pending), deadline]);
    clearTimeout(timer);
  }

  private completions(): Set<Promise<void>> {
    return (this.pendingCompletions ??= new PendingCompletions());
  }

  override enable(): void {
    super.enable();
    this.installHooks();
    useAgentSpanSource(this.agentSpanSource());
  }

  override disable(): void {
    super.disable();
    this.removeHooks();
    if (this.agentSpans) releaseAgentSpanSource(this.agentSpans);
  }

  /** Agent, workflow and tool spans (agent/) come from our tracer, with our content settings. */
  private agentSpanSource(): AgentSpanSource {
    const instrumentation = this;
    return (this.agentSpans ??= {
      get tracer() {
        return instrumentation.spanTracer();
      },
      get captureContent() {
        return instrumentation.ensureState().resolved.captureContent;
      },
      get maxContentLength() {
        return instrumentation.ensureState().resolved.maxContentLength;
      },
    });
  }

  private installHooks(): void {
    if (this.hooksInstalled) return;
    const state = this.ensureState();
    if (state.resolved.hooks.fetch) state.fetchHook.install();
    if (state.resolved.hooks.undici) state.undiciHook.install();
    this.hooksInstalled = true;
  }

  private removeHooks(): void {
    if (!this.hooksInstalled || !this.state) return;
    this.state.fetchHook.uninstall();
    this.state.undiciHook.uninstall();
    this.hooksInstalled = false;
  }

  private ensureState(): NonNullable<LlmInstrumentation['state']> {
    if (this.state) return this.state;
    const config = this.getConfig();
    const resolved = resolveConfig(config);
    const env: CallEnvironment = {
      // The tracer is looked up per call so that setTracerProvider() after construction takes effect.
      get tracer() {
        return instrumentation.spanTracer();
      },
      config: resolved,
      prices: new PriceBook(resolved.priceTable, resolved.pricing),
      completions: this.completions(),
      semconv: readSemconvStability(),
      get metrics() {
        return instrumentation.metrics;
      },
    };
    const instrumentation = this;
    const starter = new CallStarter(new EndpointRegistry(resolved.providers, [...resolved.adapters, ...ADAPTERS]), () => env);
    this.state = {
      resolved,
      env,
      fetchHook: new FetchHook(starter, resolved),
      undiciHook: new UndiciHook(starter, resolved),
    };
    return this.state;
  }
}

const NoopMeter = createNoopMeter().constructor;

function isNoopMeter(meter: Meter): boolean {
  return meter instanceof NoopMeter;
}
