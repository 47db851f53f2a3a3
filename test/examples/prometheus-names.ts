/**
 * How an OTLP metric is named in Prometheus, as the dashboard of examples/grafana-tempo assumes: the
 * Collector pushes OTLP to Prometheus' own OTLP receiver with `translation_strategy:
 * UnderscoreEscapingWithSuffixes` (Prometheus 3's default; the Collector's `prometheus` and
 * `prometheusremotewrite` exporters name metrics the same way with their default `add_metric_suffixes`).
 * The rules, from the OpenTelemetry specification's "Prometheus and OpenMetrics Compatibility" and
 * Prometheus' otlptranslator:
 * - every character outside `[a-zA-Z0-9_:]` becomes `_` (dots → underscores), repeated `_` collapse;
 * - the unit is appended as a word (`s` → `_seconds`); an annotation unit in braces (`{token}`, `{USD}`)
 *   adds nothing;
 * - a monotonic sum (counter) gets `_total`;
 * - an explicit-bucket histogram becomes `_bucket` (with `le`), `_sum` and `_count` series;
 * - attribute keys become labels with the same escaping; promoted resource attributes (`service.name`)
 *   become labels too.
 */
export type MetricKind = 'histogram' | 'counter' | 'gauge';

/** The UCUM units our metrics use, as Prometheus words (otlptranslator's unit map, the part we need). */
const UNIT_WORDS: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes', '1': '' };

export function prometheusLabel(key: string): string {
  return key.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
}

export function prometheusBaseName(name: string, unit: string, kind: MetricKind): string {
  let base = prometheusLabel(name);
  const word = /^\{.*\}$/.test(unit) || unit === '' ? '' : UNIT_WORDS[unit];
  if (word === undefined) throw new Error(`no Prometheus word for the unit ${unit} of ${name}: add it to UNIT_WORDS from otlptranslator`);
  if (word && !base.endsWith(`_${word}`)) base += `_${word}`;
  if (kind === 'counter') base += '_total';
  return base;
}

/** The series names one OTLP metric becomes. */
export function prometheusSeries(name: string, unit: string, kind: MetricKind): string[] {
  const base = prometheusBaseName(name, unit, kind);
  return kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}
