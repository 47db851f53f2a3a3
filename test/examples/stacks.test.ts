import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { beforeAll, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DataPointType, MeterProvider, MetricReader, type MetricData } from '../../packages/setup/node_modules/@opentelemetry/sdk-metrics/build/src/index.js';
import { instrumentInMemory } from '../support/in-memory';
import { replayRecordedCall, standInForFile } from '../support/recorded-calls';
import { prometheusLabel, prometheusSeries, type MetricKind } from './prometheus-names';
import { promqlReferences, templateLabels } from './promql-references';

// Issue 15 item 3: the Docker stacks in examples/ are checked offline (no Docker here or in CI). What
// runs: the compose files against the Compose Specification's JSON schema, the Collector, Tempo,
// Prometheus and Grafana files against the keys their docs list, and every dashboard query against the
// metrics llm-otel really emits (recorded here through the real instrumentation and metrics SDK, then
// named the way Prometheus' OTLP receiver names them). What does not run: the containers themselves.
//
// compose-spec.schema.json: schema/compose-spec.json of github.com/compose-spec/compose-spec at commit
// 170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23), Apache-2.0, vendored unchanged.

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const stackDir = (name: string) => join(repo, 'examples', name);
const readYaml = (file: string): unknown => parseYaml(readFileSync(file, 'utf8'));
const asRecord = (value: unknown): Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected a mapping, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
};
const STACKS = ['jaeger', 'grafana-tempo'];

describe('compose files', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names its meta-schema by the https spelling of draft-07's id; Ajv registers the http one.
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  const validate = ajv.compile(JSON.parse(readFileSync(join(repo, 'test/examples/compose-spec.schema.json'), 'utf8')));

  test.each(STACKS)('%s/compose.yaml is valid under the Compose Specification schema', (stack) => {
    const compose = readYaml(join(stackDir(stack), 'compose.yaml'));
    expect(validate(compose), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  test('the schema check can fail: a misspelt key and a wrong type are refused', () => {
    expect(validate({ services: { jaeger: { image: 'x', portz: ['1:1'] } } })).toBe(false);
    expect(validate({ services: { jaeger: { image: 'x', ports: 'not-a-list' } } })).toBe(false);
  });

  test.each(STACKS)('%s: every image pinned to a version (no latest), every mounted file present', (stack) => {
    const services = asRecord(asRecord(readYaml(join(stackDir(stack), 'compose.yaml'))).services);
    for (const [name, service] of Object.entries(services)) {
      const { image, volumes = [] } = asRecord(service) as { image: string; volumes?: string[] };
      // ${VAR:-default}: the default is what `docker compose up` uses.
      const tag = /:\$\{[A-Z_]+:-([^}]+)\}$/.exec(image)?.[1] ?? /:([^/:]+)$/.exec(image)?.[1];
      expect(tag, `${name}: ${image}`).toMatch(/^v?\d+\.\d+\.\d+$/);
      for (const volume of volumes) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect(existsSync(join(stackDir(stack), source)), `${name} mounts ${source}`).toBe(true);
      }
    }
  });

  test('Jaeger is the v2 image with its OTLP receiver published on 4317 and 4318 and listening beyond localhost', () => {
    const jaeger = asRecord(asRecord(asRecord(readYaml(join(stackDir('jaeger'), 'compose.yaml'))).services).jaeger) as {
      image: string;
      ports: string[];
      command: string[];
    };
    expect(jaeger.image).toMatch(/^cr\.jaegertracing\.io\/jaegertracing\/jaeger:\$\{JAEGER_VERSION:-2\.\d+\.\d+\}$/);
    expect(jaeger.ports).toEqual(expect.arrayContaining(['4317:4317', '4318:4318', '16686:16686']));
    expect(jaeger.command).toEqual(['--set=receivers.otlp.protocols.grpc.endpoint=0.0.0.0:4317', '--set=receivers.otlp.protocols.http.endpoint=0.0.0.0:4318']);
  });
});

// --- the Collector -> Tempo + Prometheus -> Grafana stack --------------------------------------------

const grafanaStack = stackDir('grafana-tempo');
const compose = asRecord(asRecord(readYaml(join(grafanaStack, 'compose.yaml'))).services);

/**
 * The keys each component's README documents (opentelemetry-collector: receiver/otlpreceiver,
 * processor/batchprocessor, exporter/otlpexporter (`otlp_grpc`), exporter/otlphttpexporter
 * (`otlp_http`), config/configtls, config/configgrpc, config/confighttp): what we use of them.
 */
const COLLECTOR_KEYS: Record<string, { kind: string; signals: string[]; keys: RegExp }> = {
  otlp: {
    kind: 'receivers',
    signals: ['traces', 'metrics', 'logs'],
    keys: /^protocols(\.(grpc|http)(\.(endpoint|max_recv_msg_size_mib|cors|include_metadata))?)?$/,
  },
  batch: { kind: 'processors', signals: ['traces', 'metrics', 'logs'], keys: /^(timeout|send_batch_size|send_batch_max_size)$/ },
  otlp_grpc: {
    kind: 'exporters',
    signals: ['traces', 'metrics', 'logs'],
    keys: /^(endpoint|tls(\.(insecure|ca_file|cert_file|key_file))?|headers|compression|timeout)$/,
  },
  otlp_http: {
    kind: 'exporters',
    signals: ['traces', 'metrics', 'logs'],
    keys: /^(endpoint|traces_endpoint|metrics_endpoint|logs_endpoint|tls(\.(insecure|ca_file))?|headers|compression|timeout|encoding)$/,
  },
};

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  const entries = Object.entries(value);
  if (entries.length === 0) return prefix ? [prefix] : [];
  return entries.flatMap(([key, child]) => [...(prefix ? [prefix] : []), ...keyPaths(child, prefix ? `${prefix}.${key}` : key)]);
}

describe('OpenTelemetry Collector configuration', () => {
  const config = asRecord(readYaml(join(grafanaStack, 'otel-collector.yaml')));
  const pipelines = asRecord(asRecord(config.service).pipelines) as Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }>;

  test('every component is one the contrib image has, with documented keys only, and used by a pipeline of a signal it supports', () => {
    const used = new Set<string>();
    for (const [pipeline, { receivers, processors = [], exporters }] of Object.entries(pipelines)) {
      const signal = pipeline.split('/')[0];
      for (const [kind, ids] of [
        ['receivers', receivers],
        ['processors', processors],
        ['exporters', exporters],
      ] as const) {
        for (const id of ids) {
          const type = id.split('/')[0];
          const documented = COLLECTOR_KEYS[type];
          expect(documented?.kind, `${pipeline}: ${id}`).toBe(kind);
          expect(documented.signals, `${id} in ${pipeline}`).toContain(signal);
          expect(asRecord(config[kind]), `${id} is defined under ${kind}`).toHaveProperty([id]);
          used.add(`${kind}/${id}`);
        }
      }
    }
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const [id, settings] of Object.entries(asRecord(config[kind]))) {
        expect(used.has(`${kind}/${id}`), `${kind}.${id} is defined but in no pipeline`).toBe(true);
        for (const path of keyPaths(settings)) expect(path, `${kind}.${id}`).toMatch(COLLECTOR_KEYS[id.split('/')[0]].keys);
      }
    }
    expect(Object.keys(pipelines).sort()).toEqual(['metrics', 'traces']);
  });

  test('OTLP in on the ports compose publishes; traces to Tempo where it listens; metrics to the OTLP receiver Prometheus enables', () => {
    const otlp = asRecord(asRecord(config.receivers).otlp) as { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } };
    expect([otlp.protocols.grpc.endpoint, otlp.protocols.http.endpoint]).toEqual(['0.0.0.0:4317', '0.0.0.0:4318']);
    expect((compose['otel-collector'] as { ports: string[] }).ports).toEqual(['4317:4317', '4318:4318']);

    const exporters = asRecord(config.exporters) as Record<string, { endpoint: string }>;
    const tempo = asRecord(readYaml(join(grafanaStack, 'tempo.yaml'))) as {
      distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: string } } } } };
    };
    const tempoGrpcPort = tempo.distributor.receivers.otlp.protocols.grpc.endpoint.split(':').pop();
    expect(exporters['otlp_grpc/tempo'].endpoint).toBe(`tempo:${tempoGrpcPort}`);
    expect(Object.keys(compose)).toContain('tempo');

    // otlp_http appends /v1/metrics: Prometheus' OTLP endpoint is /api/v1/otlp/v1/metrics.
    expect(exporters['otlp_http/prometheus'].endpoint).toBe('http://prometheus:9090/api/v1/otlp');
    expect((compose.prometheus as { command: string[] }).command).toContain('--web.enable-otlp-receiver');
    expect(pipelines.traces.exporters).toEqual(['otlp_grpc/tempo']);
    expect(pipelines.metrics.exporters).toEqual(['otlp_http/prometheus']);
  });
});

describe('Tempo, Prometheus and Grafana provisioning', () => {
  test('tempo.yaml uses documented keys only, listens beyond localhost, and stores under the mounted volume', () => {
    const tempo = readYaml(join(grafanaStack, 'tempo.yaml'));
    // Tempo's configuration reference (grafana.com/docs/tempo/latest/configuration): the blocks we use.
    const documented =
      /^(server(\.(http_listen_port|grpc_listen_port))?|distributor(\.receivers(\.otlp(\.protocols(\.(grpc|http)(\.endpoint)?)?)?)?)?|storage(\.trace(\.(backend|wal(\.path)?|local(\.path)?))?)?)$/;
    for (const path of keyPaths(tempo)) expect(path).toMatch(documented);
    const { storage, server } = tempo as { storage: { trace: { wal: { path: string }; local: { path: string } } }; server: { http_listen_port: number } };
    const volumes = (compose.tempo as { volumes: string[] }).volumes;
    expect(volumes).toContain('tempo-data:/var/tempo');
    expect(storage.trace.wal.path).toMatch(/^\/var\/tempo\//);
    expect(storage.trace.local.path).toMatch(/^\/var\/tempo\//);
    const datasources = (
      asRecord(readYaml(join(grafanaStack, 'grafana/provisioning/datasources/datasources.yaml'))) as { datasources: { uid: string; url: string }[] }
    ).datasources;
    expect(datasources.find((source) => source.uid === 'tempo')?.url).toBe(`http://tempo:${server.http_listen_port}`);
    expect(datasources.find((source) => source.uid === 'prometheus')?.url).toBe('http://prometheus:9090');
  });

  test('prometheus.yaml promotes service.name and states the translation the dashboard assumes', () => {
    const prometheus = asRecord(readYaml(join(grafanaStack, 'prometheus.yaml'))) as {
      otlp: { promote_resource_attributes: string[]; translation_strategy: string };
    };
    expect(prometheus.otlp.promote_resource_attributes).toContain('service.name');
    expect(prometheus.otlp.translation_strategy).toBe('UnderscoreEscapingWithSuffixes');
  });

  test('Grafana loads the dashboard from the folder compose mounts', () => {
    const providers = (
      asRecord(readYaml(join(grafanaStack, 'grafana/provisioning/dashboards/dashboards.yaml'))) as { providers: { options: { path: string } }[] }
    ).providers;
    expect((compose.grafana as { volumes: string[] }).volumes).toContain(`./grafana/dashboards:${providers[0].options.path}:ro`);
  });
});

// --- the dashboard against what llm-otel emits --------------------------------------------------------

class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async metrics(): Promise<MetricData[]> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  }
}

interface Emitted {
  series: Map<string, { metric: string; labels: Set<string> }>;
}

/** Records an exact stream, an estimated stream and a failed call through the real instrumentation; returns their Prometheus series. */
async function emittedSeries(standIn: ReturnType<ReturnType<typeof standInForFile>>): Promise<Emitted> {
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const otel = instrumentInMemory();
  otel.instrumentation.setMeterProvider(meterProvider);
  try {
    await replayRecordedCall(standIn, otel, 'openai-chat-stream-include-usage.json');
    await replayRecordedCall(standIn, otel, 'openai-chat-stream-no-usage.json');
    standIn.script({
      path: '/v1/chat/completions',
      times: 1,
      respond: {
        status: 429,
        headers: { 'content-type': 'application/json' },
        body: '{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}',
      },
    });
    await (
      await fetch(`${standIn.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
      })
    ).text();
    await otel.spans(3);
    const series = new Map<string, { metric: string; labels: Set<string> }>();
    for (const metric of await reader.metrics()) {
      const kind: MetricKind =
        metric.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? 'counter' : 'gauge';
      // Promoted resource attribute (prometheus.yaml) and the labels Prometheus always sets.
      const labels = new Set(['service_name', 'job', 'instance']);
      for (const point of metric.dataPoints as { attributes: Record<string, unknown> }[])
        for (const key of Object.keys(point.attributes)) labels.add(prometheusLabel(key));
      for (const name of prometheusSeries(metric.descriptor.name, metric.descriptor.unit, kind)) {
        series.set(name, { metric: metric.descriptor.name, labels: name.endsWith('_bucket') ? new Set([...labels, 'le']) : labels });
      }
    }
    return { series };
  } finally {
    await otel.close();
    await meterProvider.shutdown();
  }
}

interface Panel {
  title: string;
  type: string;
  datasource: { type: string; uid: string };
  targets: { expr?: string; query?: string; legendFormat?: string; datasource: { uid: string } }[];
  fieldConfig?: { defaults?: { links?: { title: string; url: string }[] } };
}

const dashboard = JSON.parse(readFileSync(join(grafanaStack, 'grafana/dashboards/llm-otel.json'), 'utf8')) as {
  panels: Panel[];
  templating: { list: { name: string; definition: string; datasource: { uid: string } }[] };
};

/** Every problem of one PromQL expression (and its legend) against the emitted series; empty when it is right. */
function problemsOf(expr: string, legend: string, emitted: Emitted): string[] {
  const problems: string[] = [];
  const refs = promqlReferences(expr);
  const labelsOfQuery = new Set<string>();
  for (const metric of refs.metrics) {
    const known = emitted.series.get(metric);
    if (!known) problems.push(`${metric} is not a series llm-otel emits (known: ${[...emitted.series.keys()].join(', ')})`);
    else for (const label of known.labels) labelsOfQuery.add(label);
  }
  for (const identifier of refs.ourIdentifiers) {
    if (!emitted.series.has(identifier) && !labelsOfQuery.has(identifier)) problems.push(`${identifier} is neither an emitted series nor one of its labels`);
  }
  for (const label of [...refs.labels, ...templateLabels(legend)]) {
    if (!labelsOfQuery.has(label)) problems.push(`label ${label} is on none of ${refs.metrics.join(', ')}`);
  }
  if (/histogram_quantile/.test(expr) && !refs.metrics.every((metric) => metric.endsWith('_bucket')))
    problems.push('histogram_quantile over a series that is not a _bucket');
  if (/histogram_quantile/.test(expr) && !refs.labels.includes('le')) problems.push('histogram_quantile without le in its grouping');
  return problems;
}

describe('the Grafana dashboard queries what llm-otel emits', () => {
  const standIn = standInForFile();
  let emitted: Emitted;
  beforeAll(async () => {
    emitted = await emittedSeries(standIn());
  });

  test('the recorded metrics are the ones the README lists, named as Prometheus stores them', () => {
    expect([...emitted.series.keys()].sort()).toEqual(
      [
        'gen_ai_client_operation_duration_seconds_bucket',
        'gen_ai_client_operation_duration_seconds_count',
        'gen_ai_client_operation_duration_seconds_sum',
        'gen_ai_client_operation_time_per_output_chunk_seconds_bucket',
        'gen_ai_client_operation_time_per_output_chunk_seconds_count',
        'gen_ai_client_operation_time_per_output_chunk_seconds_sum',
        'gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
        'gen_ai_client_operation_time_to_first_chunk_seconds_count',
        'gen_ai_client_operation_time_to_first_chunk_seconds_sum',
        'gen_ai_client_token_usage_bucket',
        'gen_ai_client_token_usage_count',
        'gen_ai_client_token_usage_sum',
        'llm_otel_client_cost_total',
        'llm_otel_client_token_usage_estimated_bucket',
        'llm_otel_client_token_usage_estimated_count',
        'llm_otel_client_token_usage_estimated_sum',
      ].sort(),
    );
    expect([...emitted.series.get('gen_ai_client_operation_duration_seconds_count')!.labels]).toEqual(
      expect.arrayContaining(['error_type', 'gen_ai_request_model', 'gen_ai_provider_name', 'gen_ai_operation_name']),
    );
    expect([...emitted.series.get('llm_otel_client_cost_total')!.labels]).toContain('llm_otel_usage_estimated');
    expect([...emitted.series.get('gen_ai_client_token_usage_sum')!.labels]).toContain('gen_ai_token_type');
  });

  test('every Prometheus query and legend names emitted series with their suffixes and labels they carry', () => {
    const problems: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        if (target.datasource.uid !== 'prometheus') continue;
        const links = (panel.fieldConfig?.defaults?.links ?? []).map((link) => `${link.title} ${link.url}`).join(' ');
        problems.push(...problemsOf(target.expr ?? '', `${target.legendFormat ?? ''} ${links}`, emitted).map((problem) => `${panel.title}: ${problem}`));
      }
    }
    for (const variable of dashboard.templating.list)
      problems.push(...problemsOf(variable.definition, '', emitted).map((problem) => `$${variable.name}: ${problem}`));
    expect(problems).toEqual([]);
  });

  test('the checker fails on the mistakes it exists for', () => {
    expect(problemsOf('sum(rate(gen_ai_client_operation_duration_bucket{}[5m]))', '', emitted)).not.toEqual([]); // no _seconds
    expect(problemsOf('sum(increase(llm_otel_client_cost{}[1h]))', '', emitted)).not.toEqual([]); // no _total
    expect(problemsOf('sum by (model) (rate(gen_ai_client_token_usage_sum{}[5m]))', '', emitted)).not.toEqual([]); // no such label
    expect(problemsOf('sum(rate(gen_ai_client_token_usage_sum{}[5m]))', '{{gen_ai_token}}', emitted)).not.toEqual([]); // legend label
    expect(
      problemsOf('histogram_quantile(0.9, sum by (gen_ai_request_model) (rate(gen_ai_client_operation_duration_seconds_bucket{}[5m])))', '', emitted),
    ).not.toEqual([]); // no le
    expect(problemsOf('gen_ai_client_operation_duration_seconds_count / gen_ai_client_operation_duration_count', '', emitted)).not.toEqual([]); // bare wrong name
  });

  test('the dashboard covers calls, tokens in/out, cost by model/provider/service, latency and first-chunk percentiles, error types, estimated vs exact', () => {
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr ?? ''));
    const some = (pattern: RegExp) =>
      expect(
        exprs.some((expr) => pattern.test(expr)),
        String(pattern),
      ).toBe(true);
    some(/gen_ai_client_operation_duration_seconds_count/);
    some(/by \(gen_ai_token_type\) \(increase\(gen_ai_client_token_usage_sum/);
    some(/by \(gen_ai_request_model, gen_ai_provider_name, service_name\) \(increase\(llm_otel_client_cost_total/);
    some(/histogram_quantile\(0\.95, sum by \(le, gen_ai_request_model\) \(rate\(gen_ai_client_operation_duration_seconds_bucket/);
    some(/histogram_quantile\(0\.95, sum by \(le, gen_ai_request_model\) \(rate\(gen_ai_client_operation_time_to_first_chunk_seconds_bucket/);
    some(/by \(error_type\)/);
    some(/llm_otel_client_token_usage_estimated_sum/);
    some(/by \(llm_otel_usage_estimated\)/);
  });

  test('panels use provisioned data sources and lead to traces: a Tempo trace table and Tempo data links on the Prometheus panels', () => {
    const datasources = (
      asRecord(readYaml(join(grafanaStack, 'grafana/provisioning/datasources/datasources.yaml'))) as { datasources: { uid: string; type: string }[] }
    ).datasources;
    const byUid = new Map(datasources.map((source) => [source.uid, source.type]));
    for (const panel of dashboard.panels) {
      expect(byUid.get(panel.datasource.uid), panel.title).toBe(panel.datasource.type);
      for (const target of panel.targets) expect(byUid.has(target.datasource.uid), panel.title).toBe(true);
    }
    const traceTable = dashboard.panels.find((panel) => panel.datasource.uid === 'tempo');
    expect(traceTable?.targets[0].query).toContain('span.gen_ai.operation.name');
    const linked = dashboard.panels.filter((panel) =>
      (panel.fieldConfig?.defaults?.links ?? []).some((link) => link.url.startsWith('/explore?') && link.url.includes('"uid":"tempo"')),
    );
    expect(linked.length).toBeGreaterThanOrEqual(8);
    // The TraceQL of each link names span attributes llm-otel writes (semconv.ts).
    for (const panel of linked)
      for (const link of panel.fieldConfig!.defaults!.links!)
        for (const attribute of link.url.matchAll(/span\.([a-z_.]+)/g))
          expect(['gen_ai.request.model', 'gen_ai.operation.name', 'error.type', 'gen_ai.response.time_to_first_chunk']).toContain(attribute[1]);
  });
});
