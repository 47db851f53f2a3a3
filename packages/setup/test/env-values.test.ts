import { describe, expect, test } from 'vitest';
import { resolveBatchOptions } from '../src/batch-settings';
import { samplerFromEnv } from '../src/sampler-from-env';
import { readExporterList } from '../src/signal-exporters';
import { metricsUrl } from '../src/metrics-pipeline';
import { readEnvFlag } from '../src/env-diagnostics';

function collect() {
  const warnings: string[] = [];
  return { warn: (message: string) => warnings.push(message), warnings };
}

describe('OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER lists', () => {
  test.each([
    [undefined, ['otlp'], 0],
    ['otlp', ['otlp'], 0],
    ['console, OTLP', ['console', 'otlp'], 0],
    ['none', [], 0],
    ['none,console', [], 1],
    ['zipkin,console', ['console'], 1],
    ['zipkin', ['otlp'], 2],
  ])('%s → %o with %i warnings', (value, kinds, warningCount) => {
    const { warn, warnings } = collect();
    const env = value === undefined ? {} : { OTEL_TRACES_EXPORTER: value };
    expect([...readExporterList(env, 'OTEL_TRACES_EXPORTER', warn)].sort()).toEqual([...kinds].sort());
    expect(warnings).toHaveLength(warningCount);
    for (const warning of warnings) expect(warning).toMatch(/^llm-otel: OTEL_TRACES_EXPORTER /);
  });
});

describe('batch options from OTEL_BSP_*', () => {
  test('unset variables leave the key out (each processor keeps its own default)', () => {
    expect(resolveBatchOptions(undefined, {}, collect().warn)).toEqual({});
  });

  test('malformed variables are named and get the specification default explicitly (BatchSpanProcessor would read them itself)', () => {
    const { warn, warnings } = collect();
    const env = { OTEL_BSP_MAX_QUEUE_SIZE: '-3', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: 'many', OTEL_BSP_SCHEDULE_DELAY: '-1', OTEL_BSP_EXPORT_TIMEOUT: '0' };
    expect(resolveBatchOptions(undefined, env, warn)).toEqual({
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30_000,
    });
    expect(warnings.join('\n')).toMatch(/OTEL_BSP_MAX_QUEUE_SIZE must be an integer of at least 1 \('-3'\)/);
    expect(warnings).toHaveLength(4);
  });

  test('valid variables are used; a schedule delay of 0 is allowed; options win and are checked', () => {
    const { warn, warnings } = collect();
    expect(resolveBatchOptions({ maxQueueSize: 10 }, { OTEL_BSP_MAX_QUEUE_SIZE: '99', OTEL_BSP_SCHEDULE_DELAY: '0' }, warn)).toEqual({
      maxQueueSize: 10,
      scheduledDelayMillis: 0,
    });
    expect(warnings).toEqual([]);
    expect(() => resolveBatchOptions({ maxQueueSize: -3 }, {}, warn)).toThrow(/the batch option maxQueueSize must be an integer of at least 1/);
  });
});

describe('samplers from OTEL_TRACES_SAMPLER', () => {
  test.each([
    [{}, 'ParentBased{root=AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' }, 'ParentBased{root=TraceIdRatioBased{0.5}'],
  ])('%o → %s', (env, description) => {
    const { warn, warnings } = collect();
    expect(samplerFromEnv(env, warn).toString()).toContain(description);
    expect(warnings).toEqual([]);
  });

  test('an unknown sampler or a ratio out of range is named; the defaults apply', () => {
    const { warn, warnings } = collect();
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'jaeger_remote' }, warn).toString()).toContain('ParentBased{root=AlwaysOnSampler');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, warn).toString()).toContain('TraceIdRatioBased{1}');
    expect(warnings.join('\n')).toMatch(/OTEL_TRACES_SAMPLER names a sampler llm-otel does not have \('jaeger_remote'\)/);
    expect(warnings.join('\n')).toMatch(/OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 \('2'\); using 1/);
  });
});

describe('the metrics endpoint', () => {
  const http = { protocol: 'http/protobuf' as const, headers: {}, timeoutMillis: 1000 };

  test('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT wins, as is for http/protobuf and as an origin for gRPC', () => {
    const env = { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://mimir.internal:4318/otlp/v1/metrics' };
    expect(metricsUrl({ ...http, url: 'http://tempo:4318/v1/traces' }, env, collect().warn)).toBe('https://mimir.internal:4318/otlp/v1/metrics');
    expect(metricsUrl({ ...http, protocol: 'grpc', url: 'http://tempo:4317' }, env, collect().warn)).toBe('https://mimir.internal:4318');
  });

  test('a traces URL that does not end in /v1/traces never receives the metrics', () => {
    expect(metricsUrl({ ...http, url: 'http://collector:4318/otlp/v1/traces' }, {}, collect().warn)).toBe('http://collector:4318/otlp/v1/metrics');
    expect(metricsUrl({ ...http, url: 'http://collector:4318/custom/traces' }, {}, collect().warn)).toBe('http://collector:4318/v1/metrics');
  });

  test('a malformed variable is named and the span endpoint used', () => {
    const { warn, warnings } = collect();
    expect(metricsUrl({ ...http, url: 'http://collector:4318/v1/traces' }, { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'https://u:hunter2@' }, warn)).toBe(
      'http://collector:4318/v1/metrics',
    );
    expect(warnings.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_METRICS_ENDPOINT is not a URL/);
    expect(warnings.join('\n')).not.toContain('hunter2');
  });
});

describe('boolean variables', () => {
  test("an OTEL_* boolean is true only when 'true' (the specification; the JS SDK reads 1 as false and warns)", () => {
    const { warn, warnings } = collect();
    expect(readEnvFlag({ OTEL_SDK_DISABLED: '1' }, 'OTEL_SDK_DISABLED', warn)).toBeUndefined();
    expect(readEnvFlag({ OTEL_SDK_DISABLED: 'TRUE' }, 'OTEL_SDK_DISABLED', warn)).toBe(true);
    expect(
      readEnvFlag({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '1' }, 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT', warn),
    ).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/OTEL_SDK_DISABLED must be 'true' or 'false'/);
  });

  test('our own LLM_OTEL_* flags also take 1 and 0', () => {
    const { warn, warnings } = collect();
    expect(readEnvFlag({ LLM_OTEL_METRICS: '1' }, 'LLM_OTEL_METRICS', warn)).toBe(true);
    expect(readEnvFlag({ LLM_OTEL_HANDLE_SIGNALS: '0' }, 'LLM_OTEL_HANDLE_SIGNALS', warn)).toBe(false);
    expect(warnings).toEqual([]);
  });
});
