import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { quoteIfHarmless, warnEnv, type EnvWarn } from './env-diagnostics';

/** Propagators of the specification that need a package llm-otel does not depend on. */
const NOT_BUNDLED: Record<string, string> = {
  b3: '@opentelemetry/propagator-b3',
  b3multi: '@opentelemetry/propagator-b3',
  jaeger: '@opentelemetry/propagator-jaeger',
  xray: '@opentelemetry/propagator-aws-xray',
  ottrace: '@opentelemetry/propagator-ot-trace',
};

/**
 * OTEL_PROPAGATORS, as the specification defines it: a comma-separated list, default
 * `tracecontext,baggage`, `none` for no propagator. Before, set-up always registered tracecontext and
 * baggage, so `OTEL_PROPAGATORS=none` still sent `traceparent` to every LLM endpoint (the hooks inject
 * through the registered propagator). `null` means "register none" to NodeTracerProvider.register().
 * A name we cannot build is warned about and left out; the rest of the list still applies.
 */
export function propagatorFromEnv(env: NodeJS.ProcessEnv, warn: EnvWarn): TextMapPropagator | null {
  const raw = env.OTEL_PROPAGATORS?.trim();
  const names = raw
    ? raw
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean)
    : ['tracecontext', 'baggage'];
  if (names.includes('none')) return null;
  const propagators: TextMapPropagator[] = [];
  for (const name of new Set(names)) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
    else if (NOT_BUNDLED[name])
      warnEnv(warn, 'OTEL_PROPAGATORS', `lists ${name}, which needs ${NOT_BUNDLED[name]}; register it with your own SDK`, 'leaving it out');
    else warnEnv(warn, 'OTEL_PROPAGATORS', `lists a propagator llm-otel does not know${quoteIfHarmless(name)}`, 'leaving it out');
  }
  if (propagators.length === 0) return null;
  return propagators.length === 1 ? propagators[0]! : new CompositePropagator({ propagators });
}
