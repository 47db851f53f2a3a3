import { nonEmpty, quoteIfHarmless, warnEnv, type EnvWarn } from './env-diagnostics';

export type ExporterKind = 'otlp' | 'console';

/**
 * OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER: a comma-separated list of `otlp` (the default),
 * `console` and `none`, as the specification defines them. `none` alone means no exporter; unknown
 * names are warned about and skipped, and a list with nothing usable falls back to `otlp`.
 */
export function readExporterList(env: NodeJS.ProcessEnv, name: string, warn: EnvWarn): Set<ExporterKind> {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return new Set(['otlp']);
  const kinds = new Set<ExporterKind>();
  let none = false;
  for (const entry of raw
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean)) {
    if (entry === 'otlp' || entry === 'console') kinds.add(entry);
    else if (entry === 'none') none = true;
    else warnEnv(warn, name, `names an exporter llm-otel does not have${quoteIfHarmless(entry)} (use otlp, console or none)`, 'it is ignored');
  }
  if (none) {
    if (kinds.size > 0) warnEnv(warn, name, "combines 'none' with other exporters", "'none' wins");
    return new Set();
  }
  if (kinds.size === 0) {
    warnEnv(warn, name, 'names no exporter llm-otel has', "using 'otlp'");
    return new Set(['otlp']);
  }
  return kinds;
}
