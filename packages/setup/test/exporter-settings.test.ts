import { describe, expect, test } from 'vitest';
import { Metadata } from '@grpc/grpc-js';
import { grpcMetadata, resolveExporterSettings, resolveHandleSignals } from '../src/exporter-settings';

describe('resolveExporterSettings', () => {
  test('defaults to OTLP gRPC on localhost:4317', () => {
    expect(resolveExporterSettings({}, {})).toEqual({ protocol: 'grpc', url: 'http://localhost:4317', headers: {}, timeoutMillis: 5000 });
  });

  test('http/protobuf from the environment appends the signal path to OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    const settings = resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/otlp' });
    expect(settings.url).toBe('https://collector:4318/otlp/v1/traces');
  });

  test('the signal path goes on the path of OTEL_EXPORTER_OTLP_ENDPOINT, before its query', () => {
    const settings = resolveExporterSettings(
      {},
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/otlp/?tenant=acme' },
    );
    expect(settings.url).toBe('https://collector:4318/otlp/v1/traces?tenant=acme');
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

  test('wrong options fail at set-up with a clear message that never quotes the value', () => {
    expect(() => resolveExporterSettings({ endpoint: 'not a url' }, {})).toThrow(/the endpoint option is not a URL/);
    expect(() => resolveExporterSettings({ endpoint: 'ftp://x:1' }, {})).toThrow(/must start with http/);
    expect(() => resolveExporterSettings({ protocol: 'udp' as never }, {})).toThrow(/must be 'grpc'.*or 'http\/protobuf'/);
    expect(() => resolveExporterSettings({ timeoutMillis: -1 }, {})).toThrow(/timeoutMillis option must be a positive integer/);
    // An endpoint a URL parser refuses, with a password in it: the message must not carry it.
    const thrown = captureError(() => resolveExporterSettings({ endpoint: 'https://app:Hunter2Secret@exa mple.com:99999' }, {}));
    expect(thrown).toMatch(/the endpoint option is not a URL/);
    expect(thrown).not.toContain('Hunter2Secret');
  });

  test('no error quotes a value a detector sees a secret in: an AWS key id as the protocol, a key as a header name', () => {
    const awsKeyId = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
    const protocol = captureError(() => resolveExporterSettings({ protocol: awsKeyId as 'grpc' }, {}));
    expect(protocol).toMatch(/the protocol option must be/);
    expect(protocol).not.toContain(awsKeyId);
    expect(captureError(() => resolveExporterSettings({ protocol: 'http/json' as 'grpc' }, {}))).toContain("('http/json')"); // an enum-like value still is
    const key = ['ghp', 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'].join('_');
    const header = captureError(() => resolveExporterSettings({ headers: { [key]: 5 as unknown as string } }, {}));
    expect(header).toMatch(/the headers option header #1 has a value that is not a string/);
    expect(header).not.toContain(key);
    const warnings: string[] = [];
    resolveExporterSettings({}, { OTEL_EXPORTER_OTLP_PROTOCOL: awsKeyId }, (message) => void warnings.push(message));
    expect(warnings.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL must be one of/);
    expect(warnings.join('\n')).not.toContain(awsKeyId);
  });

  test('shutdownTimeoutMillis is checked and named (a string became a NaN export timeout the stock exporter rejected in its own words)', () => {
    expect(captureError(() => resolveExporterSettings({ shutdownTimeoutMillis: 'soon' as unknown as number }, {}))).toContain(
      'llm-otel: the shutdownTimeoutMillis option must be an integer of at least 0',
    );
    expect(captureError(() => resolveExporterSettings({ shutdownTimeoutMillis: -5 }, {}))).toMatch(/shutdownTimeoutMillis/);
    expect(resolveExporterSettings({ shutdownTimeoutMillis: 0 }, {}).timeoutMillis).toBe(1); // the stock exporters refuse 0
  });

  test('a headers option given in the variable format (a string) is refused, not sent character by character', () => {
    const secret = ['Bearer', 'Xq9Zr2Lm4Np6Tv8Wb1Yc3Kd5Hf7'].join(' ');
    const thrown = captureError(() => resolveExporterSettings({ headers: `authorization=${secret}` as unknown as Record<string, string> }, {}));
    expect(thrown).toContain('the headers option must be an object');
    expect(thrown).not.toContain('Xq9Zr2Lm4Np6');
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

function captureError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String(error);
  }
  throw new Error('expected a throw');
}

/** Collects the warnings a resolution gives instead of raising them. */
function resolveWithWarnings(env: NodeJS.ProcessEnv, options = {}) {
  const warnings: string[] = [];
  const settings = resolveExporterSettings(options, env, (message) => warnings.push(message));
  return { settings, warnings, all: warnings.join('\n') };
}

describe('malformed environment values warn and fall back to the default (the app must start)', () => {
  test('an unknown protocol', () => {
    const { settings, all } = resolveWithWarnings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'foo' });
    expect(settings.protocol).toBe('grpc');
    expect(all).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL must be one of 'grpc', 'http\/protobuf' \('foo'\); using the default/);
    expect(resolveWithWarnings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).all).toMatch(/http\/json is not supported/);
  });

  test('an endpoint that is not a URL: named, never quoted (it may hold a password)', () => {
    const { settings, all } = resolveWithWarnings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://app:Hunter2Secret@bad host:4317' });
    expect(settings.url).toBe('http://localhost:4317');
    expect(all).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT is not a URL/);
    expect(all).not.toContain('Hunter2Secret');
    // A bad signal-specific endpoint falls back to the general one.
    const fallback = resolveWithWarnings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' });
    expect(fallback.settings.url).toBe('http://collector:4317');
    expect(fallback.all).toMatch(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must start with http/);
  });

  test('timeouts that are not positive integers', () => {
    for (const value of ['soon', '-3', '0', '1.5']) {
      const { settings, all } = resolveWithWarnings({ OTEL_EXPORTER_OTLP_TIMEOUT: value });
      expect(settings.timeoutMillis).toBe(5000);
      expect(all).toMatch(/OTEL_EXPORTER_OTLP_TIMEOUT must be an integer of at least 1/);
    }
  });

  test('a header entry without = is skipped, named by position, its token never echoed; the others are kept', () => {
    const { settings, all } = resolveWithWarnings({ OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme,Bearer sk-live-SECRETTOKEN123' });
    expect(settings.headers).toEqual({ 'x-tenant': 'acme' });
    expect(all).toMatch(/OTEL_EXPORTER_OTLP_HEADERS entry #2 has no 'name=value' form/);
    expect(all).not.toContain('SECRETTOKEN123');
  });

  test('%ZZ in the header list names the variable and the header, not a bare URIError', () => {
    const { settings, all } = resolveWithWarnings({ OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%ZZsecretvalue,x-a=1' });
    expect(settings.headers).toEqual({ 'x-a': '1' });
    expect(all).toMatch(/OTEL_EXPORTER_OTLP_HEADERS header 'authorization' has a malformed percent-encoding/);
    expect(all).not.toMatch(/URIError|secretvalue/);
  });

  test('header values with CR/LF or beyond Latin-1 are dropped with a warning (HTTP); non-ASCII for gRPC too', () => {
    const crlf = resolveWithWarnings({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20tok%0D%0AX-Injected:1,x-ok=1',
    });
    expect(crlf.settings.headers).toEqual({ 'x-ok': '1' });
    expect(crlf.all).toMatch(/header 'authorization' has a value with characters an HTTP header cannot carry/);
    expect(crlf.all).not.toContain('tok');
    const wide = resolveWithWarnings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_HEADERS: 'x-name=%E2%82%AC,x-latin=caf%C3%A9' });
    expect(wide.settings.headers).toEqual({ 'x-latin': 'café' });
    const grpc = resolveWithWarnings({ OTEL_EXPORTER_OTLP_HEADERS: 'x-latin=caf%C3%A9,x-ok=1' });
    expect(grpc.settings.headers).toEqual({ 'x-ok': '1' });
    expect(grpc.all).toMatch(/gRPC metadata cannot carry/);
    // What remains can always be turned into metadata: grpc-js would otherwise throw, quoting the value.
    expect(grpcMetadata(grpc.settings.headers)).toBeInstanceOf(Metadata);
  });
});

describe('the same rules for the headers option throw instead', () => {
  test('CR/LF, non-Latin-1, invalid names; the value is never in the message', () => {
    for (const headers of [{ authorization: 'Bearer tok\r\nX: 1' }, { authorization: 'Bearer €tok' }, { 'bad name': 'x' }]) {
      const message = captureError(() => resolveExporterSettings({ protocol: 'http/protobuf', headers }, {}));
      expect(message).toMatch(/the headers option header/);
      expect(message).not.toContain('tok');
    }
    expect(() => resolveExporterSettings({ headers: { 'x-bin': 'café' } }, {})).toThrow(/gRPC metadata cannot carry/);
  });
});

describe('endpoint userinfo: one rule for every path', () => {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

  test('user:password@ becomes authorization: Basic, and leaves the URL', () => {
    for (const protocol of ['grpc', 'http/protobuf'] as const) {
      const settings = resolveExporterSettings({ protocol, endpoint: 'https://app:p%40ss%3Aword@collector.example:4318' }, {});
      expect(settings.headers).toEqual({ authorization: basic('app:p@ss:word') });
      expect(settings.url).not.toMatch(/app|word|@/);
    }
    const fromEnv = resolveWithWarnings({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://u:pw@collector:4318' });
    expect(fromEnv.settings).toMatchObject({ url: 'http://collector:4318/v1/traces', headers: { authorization: basic('u:pw') } });
  });

  test('an explicit authorization header wins over the URL, with a warning that quotes neither', () => {
    const { settings, all } = resolveWithWarnings(
      { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20tok' },
      { endpoint: 'http://u:pw-secret@collector:4317' },
    );
    expect(settings.headers).toEqual({ Authorization: 'Bearer tok' });
    expect(settings.url).toBe('http://collector:4317');
    expect(all).toMatch(/the endpoint option has user:password@ and an authorization header/);
    expect(all).not.toMatch(/pw-secret|tok/);
  });
});
