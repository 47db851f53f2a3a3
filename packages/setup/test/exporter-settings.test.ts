import { describe, expect, test } from 'vitest';
import { resolveExporterSettings, resolveHandleSignals } from '../src/exporter-settings';

describe('resolveExporterSettings', () => {
  test('defaults to OTLP gRPC on localhost:4317', () => {
    expect(resolveExporterSettings({}, {})).toEqual({ protocol: 'grpc', url: 'http://localhost:4317', headers: {}, timeoutMillis: 5000 });
  });

  test('http/protobuf from the environment appends the signal path to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const settings = resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/otlp' });
    expect(settings.url).toBe('https://collector:4318/otlp/v1/traces');
  });

  test('the signal-specific variables win and are used as is', () => {
    const settings = resolveExporterSettings(
      {},
      {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=two%20words',
        OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '2500',
      },
    );
    expect(settings).toEqual({ protocol: 'http/protobuf', url: 'http://tempo:4318/custom/traces', headers: { a: '1', b: 'two words' }, timeoutMillis: 2500 });
  });

  test('options win over the environment; a bare http endpoint option gets /v1/traces', () => {
    const settings = resolveExporterSettings(
      { protocol: 'http/protobuf', endpoint: 'http://127.0.0.1:9999', headers: { b: 'option' }, timeoutMillis: 100 },
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:4317', OTEL_EXPORTER_OTLP_HEADERS: 'a=env,b=env' },
    );
    expect(settings).toEqual({ protocol: 'http/protobuf', url: 'http://127.0.0.1:9999/v1/traces', headers: { a: 'env', b: 'option' }, timeoutMillis: 100 });
  });

  test('a gRPC endpoint keeps only scheme, host and port', () => {
    expect(resolveExporterSettings({ endpoint: 'https://otel.example:443/whatever' }, {}).url).toBe('https://otel.example');
  });

  test('wrong options fail at set-up with a clear message', () => {
    expect(() => resolveExporterSettings({ endpoint: 'not a url' }, {})).toThrow(/the endpoint option 'not a url' is not a URL/);
    expect(() => resolveExporterSettings({ endpoint: 'ftp://x:1' }, {})).toThrow(/must start with http/);
    expect(() => resolveExporterSettings({ protocol: 'udp' as never }, {})).toThrow(/use 'grpc'.*or 'http\/protobuf'/);
    expect(() => resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toThrow(/http\/json is not supported/);
    expect(() => resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toThrow(/positive integer/);
    expect(() => resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toThrow(/without '='/);
  });
});

test('the export timeout defaults to the shutdown deadline when that is shorter than 10 s', () => {
  expect(resolveExporterSettings({ shutdownTimeoutMillis: 2000 }, {}).timeoutMillis).toBe(2000);
  expect(resolveExporterSettings({ shutdownTimeoutMillis: 60_000 }, {}).timeoutMillis).toBe(10_000);
  expect(resolveExporterSettings({ shutdownTimeoutMillis: 2000 }, { OTEL_EXPORTER_OTLP_TIMEOUT: '30000' }).timeoutMillis).toBe(30_000);
});

test('signal handling: option, else LLM_OTEL_HANDLE_SIGNALS, else on', () => {
  expect(resolveHandleSignals({}, {})).toBe(true);
  expect(resolveHandleSignals({}, { LLM_OTEL_HANDLE_SIGNALS: 'false' })).toBe(false);
  expect(resolveHandleSignals({ handleSignals: true }, { LLM_OTEL_HANDLE_SIGNALS: 'false' })).toBe(true);
});
