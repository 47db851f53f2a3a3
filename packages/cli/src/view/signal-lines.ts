import { printable, type ReceivedLogRecord, type ReceivedMetric, type ReceivedValue } from '@llm-otel/otlp-receiver';

const MAX_BODY_CHARS = 200;

function severityName(record: ReceivedLogRecord): string {
  if (record.severityText) return printable(record.severityText.slice(0, 10).toUpperCase());
  const names = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  return record.severityNumber > 0 ? (names[Math.min(5, Math.floor((record.severityNumber - 1) / 4))] ?? 'LOG') : 'LOG';
}

function bodyText(body: ReceivedValue): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  // One line per record, and a terminal escape in a hostile body is shown, not obeyed.
  const flat = printable(text ?? '');
  return flat.length > MAX_BODY_CHARS ? `${flat.slice(0, MAX_BODY_CHARS - 1)}…` : flat;
}

/** `log  WARN  support-agent  the body…  (trace 4bf92f35…)`. */
export function logLine(record: ReceivedLogRecord): string {
  const service = record.resource['service.name'];
  const parts = ['log', severityName(record)];
  if (typeof service === 'string') parts.push(printable(service.slice(0, 60)));
  parts.push(bodyText(record.body));
  if (record.traceId) parts.push(`(trace ${record.traceId.slice(0, 8)}…)`);
  return parts.join('  ');
}

/** One line per metrics export: which service sent what, with the data points per metric. */
export function metricsLine(metrics: readonly ReceivedMetric[]): string {
  const service = metrics[0]?.resource['service.name'];
  const names = new Map<string, number>();
  for (const metric of metrics) names.set(metric.name, (names.get(metric.name) ?? 0) + metric.dataPoints.length);
  const listed = [...names].slice(0, 8).map(([name, points]) => `${printable(name.slice(0, 60))} (${points})`);
  if (names.size > 8) listed.push(`… ${names.size - 8} more`);
  return `metrics${typeof service === 'string' ? ` from ${printable(service.slice(0, 60))}` : ''}: ${listed.join(', ')}`;
}
