import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import { nonEmpty, quoteIfHarmless, warnEnv, type EnvWarn } from './env-diagnostics';

/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG, as the specification defines them. Built here and
 * passed explicitly: NodeTracerProvider reads them only when no `sampler` key is given at all, and
 * set-up always gave one (`sampler: undefined`), so both variables had no effect. A malformed value is
 * warned about; the default is parent-based always-on, and a ratio defaults to 1.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv, warn: EnvWarn): Sampler {
  const name = nonEmpty(env.OTEL_TRACES_SAMPLER)?.toLowerCase() ?? 'parentbased_always_on';
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio(env, warn));
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env, warn)) });
    default:
      warnEnv(warn, 'OTEL_TRACES_SAMPLER', `names a sampler llm-otel does not have${quoteIfHarmless(name)}`, 'using parentbased_always_on');
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function ratio(env: NodeJS.ProcessEnv, warn: EnvWarn): number {
  const raw = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
  warnEnv(warn, 'OTEL_TRACES_SAMPLER_ARG', `must be a number from 0 to 1${quoteIfHarmless(raw)}`, 'using 1');
  return 1;
}
