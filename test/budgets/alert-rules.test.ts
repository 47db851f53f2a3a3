import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// The real metrics SDK, as @llm-otel/setup installs it (as test/metrics.test.ts reads it).
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '../../packages/setup/node_modules/@opentelemetry/sdk-metrics/build/src/index.js';
import { instrumentInMemory } from '../support/in-memory';
import { systemBinary } from '../support/system-binary';
import { replayRecordedCall, standInForFile } from '../support/recorded-calls';

/**
 * examples/budget-alerts: the Prometheus and Grafana rules alert on the cost metric as llm-otel
 * really exports it. The metric's name, unit, type and attribute keys are read from a recorded call
 * through the real instrumentation and the real metrics SDK, then named as Prometheus names OTLP
 * metrics; every expression may refer to nothing else. promtool (Debian package `prometheus`)
 * checks the rules and runs their unit tests (prometheus-rules.test.yml).
 */

const dir = fileURLToPath(new URL('../../examples/budget-alerts/', import.meta.url));

const PROMTOOL = systemBinary(
  'promtool',
  'promtool checks of examples/budget-alerts',
  '`apt-get install -y --no-install-recommends prometheus` (Debian/Ubuntu)',
);

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((metric) => metric.descriptor.name === name);
  }
}

/**
 * OTLP → Prometheus names with the default translation (UnderscoreEscapingWithSuffixes; the
 * Collector's prometheus exporters name the same): characters outside [a-zA-Z0-9_:] become `_`; a
 * unit in braces is an annotation and adds nothing (any other unit would need its word appended,
 * which this test refuses rather than guesses); a monotonic sum gets `_total`.
 */
const prometheusLabel = (key: string) => key.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/__+/g, '_');
function prometheusCounterName(name: string, unit: string): string {
  if (unit !== '' && !/^\{.*\}$/.test(unit)) throw new Error(`unit ${unit} would add a suffix: extend this test`);
  return `${prometheusLabel(name)}_total`;
}

const PROMQL_WORDS = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset']);

/** Metric names and label names one PromQL expression refers to (enough PromQL for these rules). */
function references(expr: string): { metrics: string[]; labels: string[] } {
  let code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const labels: string[] = [];
  code = code.replace(/\b(?:by|without)\s*\(([^)]*)\)/g, (_, list: string) => {
    labels.push(
      ...list
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean),
    );
    return ' ';
  });
  code = code.replace(/\{([^}]*)\}/g, (_, matchers: string) => {
    for (const matcher of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) labels.push(matcher[1]);
    return ' ';
  });
  code = code.replace(/\[[^\]]*\]/g, ' ');
  const metrics = [...code.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)].filter((match) => !match[2] && !PROMQL_WORDS.has(match[1])).map((match) => match[1]);
  return { metrics, labels };
}

/** `$labels.x` of Prometheus templates and Grafana's `$labels.x`. */
const templateLabels = (text: string) => [...text.matchAll(/\$labels\.([a-zA-Z_]\w*)/g)].map((match) => match[1]);

interface PromRule {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface GrafanaRule {
  uid: string;
  condition: string;
  data: { refId: string; datasourceUid: string; model: { expr?: string; type?: string; expression?: string; conditions?: unknown[] } }[];
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const promRules = (parse(readFileSync(`${dir}prometheus-rules.yml`, 'utf8')) as { groups: { name: string; rules: PromRule[] }[] }).groups.flatMap(
  (group) => group.rules,
);
const grafana = parse(readFileSync(`${dir}grafana-alert-rules.yml`, 'utf8')) as {
  apiVersion: number;
  groups: { name: string; folder: string; interval: string; rules: GrafanaRule[] }[];
};

describe('examples/budget-alerts', () => {
  const standIn = standInForFile();
  let exported: { metric: string; labels: Set<string> } | undefined;
  const otel = instrumentInMemory();
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  otel.instrumentation.setMeterProvider(meterProvider);
  afterAll(async () => {
    await otel.close();
    await meterProvider.shutdown();
  });

  /** The cost metric of one real (recorded) call, as Prometheus names it. */
  async function costMetric(): Promise<{ metric: string; labels: Set<string> }> {
    if (exported) return exported;
    await replayRecordedCall(standIn(), otel, 'openai-chat-stream-include-usage.json');
    const cost = await reader.metric('llm_otel.client.cost');
    if (!cost) throw new Error('no llm_otel.client.cost recorded');
    expect(cost.dataPointType).toBe(DataPointType.SUM);
    expect((cost as { isMonotonic?: boolean }).isMonotonic).toBe(true);
    const labels = new Set(['job']); // from the resource's service.name, on every OTLP series
    for (const point of cost.dataPoints) for (const key of Object.keys(point.attributes)) labels.add(prometheusLabel(key));
    exported = { metric: prometheusCounterName(cost.descriptor.name, cost.descriptor.unit), labels };
    return exported;
  }

  it('every Prometheus rule refers only to the cost metric as exported (or to a rule recorded from it) and to labels it has', async () => {
    const { metric, labels } = await costMetric();
    expect(metric).toBe('llm_otel_client_cost_total');
    const recorded = new Set<string>();
    for (const rule of promRules) {
      const refs = references(rule.expr);
      expect(refs.metrics.length, rule.expr).toBeGreaterThan(0);
      for (const name of refs.metrics) expect([metric, ...recorded], `${rule.record ?? rule.alert}: ${name}`).toContain(name);
      for (const label of [...refs.labels, ...templateLabels(Object.values(rule.annotations ?? {}).join(' '))])
        expect([...labels], `${rule.record ?? rule.alert}: label ${label}`).toContain(label);
      if (rule.record) recorded.add(rule.record);
    }
    // Daily and monthly, warning and critical, all by service and model.
    const alerts = promRules.filter((rule) => rule.alert).map((rule) => `${rule.labels?.period}/${rule.labels?.severity}`);
    for (const wanted of ['day/warning', 'day/critical', 'month/warning', 'month/critical']) expect(alerts).toContain(wanted);
    for (const rule of promRules.filter((candidate) => candidate.record)) expect(references(rule.expr).labels).toEqual(['job', 'gen_ai_request_model']);
  });

  it('the Grafana rules query the same metric and labels, with a threshold condition on the query', async () => {
    const { metric, labels } = await costMetric();
    expect(grafana.apiVersion).toBe(1);
    const rules = grafana.groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.uid).sort()).toEqual(['llm-otel-daily-spend', 'llm-otel-monthly-spend']);
    for (const rule of rules) {
      const query = rule.data.find((entry) => entry.model.expr !== undefined);
      const condition = rule.data.find((entry) => entry.refId === rule.condition);
      expect(query?.datasourceUid).toBe('prometheus');
      expect(condition?.datasourceUid).toBe('__expr__');
      expect(condition?.model).toMatchObject({ type: 'threshold', expression: query?.refId });
      const refs = references(query?.model.expr ?? '');
      expect(refs.metrics).toEqual([metric]);
      expect(refs.labels).toEqual(['job', 'gen_ai_request_model']);
      for (const label of templateLabels(Object.values(rule.annotations ?? {}).join(' '))) expect([...labels]).toContain(label);
    }
  });

  it.skipIf(!PROMTOOL)('promtool: the rules are valid and their unit tests pass (alerts fire at 80 % and 100 % of the daily and monthly limits)', () => {
    const check = spawnSync('promtool', ['check', 'rules', 'prometheus-rules.yml'], { cwd: dir, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'prometheus-rules.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });
});
